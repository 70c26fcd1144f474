"""A sanity check of MP4/MOV (ISO base media file format, ISO/IEC 14496-12) containers.

The brand in the ``ftyp`` box says nothing about the rest of the file (a 50-byte fake
with only ``ftyp`` was stored as a video). This walks the top-level boxes: ``ftyp``
first, then boxes whose sizes chain exactly to the end of the file, and a ``moov``
box (the movie header without which no player can play it). It reads only box
headers, so it is cheap even for a 100 MB video.

Written here (about forty lines) rather than using a library: pymediainfo needs the
native libmediainfo, and the pure-Python parsers on PyPI decode far more than this
check needs; a short walker that we test is easier to trust on hostile input.
"""

from __future__ import annotations

import struct

#: The smallest box header: a 32-bit size and a four-character type.
_HEADER = 8


class ContainerError(ValueError):
    """The file is not a sane ISO-BMFF container (the message is in Chinese)."""


def top_level_boxes(data: bytes) -> list[tuple[bytes, int, int]]:
    """(type, offset, size) of every top-level box; raises ContainerError if the sizes
    do not chain to the end of the file."""
    boxes = []
    offset = 0
    end = len(data)
    while offset < end:
        if end - offset < _HEADER:
            raise ContainerError("视频文件结构不完整（末尾残缺）。")
        size, kind = struct.unpack(">I4s", data[offset:offset + _HEADER])
        header = _HEADER
        if size == 1:  # a 64-bit size follows the type
            if end - offset < 16:
                raise ContainerError("视频文件结构不完整（末尾残缺）。")
            (size,) = struct.unpack(">Q", data[offset + 8:offset + 16])
            header = 16
        elif size == 0:  # the box runs to the end of the file
            size = end - offset
        if size < header or offset + size > end:
            raise ContainerError("视频文件结构损坏（数据块长度与文件不符）。")
        boxes.append((kind, offset, size))
        offset += size
    return boxes


def check_video_container(data: bytes) -> None:
    """Raise ContainerError unless ``data`` is ftyp-first, box-chained and has a moov."""
    boxes = top_level_boxes(data)
    if not boxes or boxes[0][0] != b"ftyp":
        raise ContainerError("视频文件结构无效（缺少文件类型信息）。")
    if not any(kind == b"moov" for kind, _, _ in boxes):
        raise ContainerError("视频文件不完整（缺少影片信息 moov），无法播放。")
