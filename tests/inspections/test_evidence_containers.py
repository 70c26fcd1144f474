"""Video evidence: an MP4/MOV is stored only if its ISO-BMFF boxes are sane."""
# ruff: noqa: F811  (fixtures imported from the loop tests are redefined as arguments)

from __future__ import annotations

import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hangzhou_safety.api.errors import InvalidInput
from inspections.evidence import services as evidence
from inspections.evidence.containers import (
    ContainerError,
    check_video_container,
    top_level_boxes,
)
from inspections.models import Evidence
from tests.inspections.test_inspection_loop import (  # noqa: F401
    factory,
    inspection,
    xihu_inspector2,
)


def box(kind: bytes, payload: bytes = b"") -> bytes:
    return struct.pack(">I4s", 8 + len(payload), kind) + payload


def large_box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I4sQ", 1, kind, 16 + len(payload)) + payload


FTYP = box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
MOOV = box(b"moov", box(b"mvhd", bytes(100)))
MP4 = FTYP + MOOV + box(b"mdat", bytes(64))


def test_a_sane_container_walks_to_its_end() -> None:
    assert [kind for kind, _, _ in top_level_boxes(MP4)] == [b"ftyp", b"moov", b"mdat"]
    check_video_container(MP4)
    check_video_container(FTYP + large_box(b"mdat", bytes(32)) + MOOV)  # 64-bit size
    check_video_container(FTYP + MOOV + struct.pack(">I4s", 0, b"mdat") + bytes(20))


@pytest.mark.parametrize(("data", "message"), [
    (FTYP + bytes(50 - len(FTYP)), "moov"),  # the 50-byte fake: ftyp, then zeros
    (FTYP + b"\x00\x00\x01\x00junk" + bytes(14), "长度"),  # a box past the end
    (FTYP, "moov"),  # only ftyp
    (MOOV + FTYP, "文件类型"),  # ftyp not first
    (MP4[:-10], "长度"),  # truncated: the last box runs past the end
    (MP4 + b"\x00\x00\x00", "残缺"),  # trailing bytes that are no box
    (FTYP + struct.pack(">I4s", 4, b"moov"), "长度"),  # a size smaller than its header
])
def test_broken_containers_are_refused_in_chinese(data: bytes, message: str) -> None:
    with pytest.raises(ContainerError, match=message):
        check_video_container(data)


@pytest.mark.django_db
def test_the_fifty_byte_fake_mp4_is_not_stored(inspection, settings, tmp_path) -> None:
    settings.EVIDENCE_ROOT = tmp_path / "evidence"
    actor = inspection.inspectors.order_by("pk").first()
    fake = FTYP + bytes(50 - len(FTYP))
    assert len(fake) == 50
    with pytest.raises(InvalidInput) as refused:
        evidence.store_evidence(inspection, actor=actor, kind="video",
                                uploaded_file=SimpleUploadedFile("现场.mp4", fake,
                                                                 content_type="video/mp4"))
    assert "视频文件" in refused.value.detail
    assert not Evidence.objects.exists()
    stored = evidence.store_evidence(inspection, actor=actor, kind="video",
                                     uploaded_file=SimpleUploadedFile(
                                         "现场.mp4", MP4, content_type="video/mp4"))
    assert stored.content_type == "video/mp4" and stored.size == len(MP4)
