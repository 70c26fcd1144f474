"""The hash chain, the append-only trigger, verify_audit and concurrent appends."""

from __future__ import annotations

import threading
import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from hangzhou_safety.audit.models import APPEND_ONLY_TRIGGER, GENESIS_HASH, AuditEvent
from hangzhou_safety.audit.services import (
    CONTENT_ALTERED,
    LINK_BROKEN,
    canonical_content,
    compute_hash,
    record_event,
    verify_chain,
)


def _events(n: int) -> list[AuditEvent]:
    return [record_event("test.step", new={"n": i}, reason=f"第{i}步") for i in range(n)]


def _tamper(sql: str, params: list[Any]) -> None:
    """Change a row the way someone with ALTER rights could: trigger off, edit, on."""
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
        cursor.execute(sql, params)
        cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {APPEND_ONLY_TRIGGER}")


def test_chain_links_and_verifies(db: Any) -> None:
    events = _events(5)
    assert events[0].prev_hash == GENESIS_HASH
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash
        assert after.id > before.id
    stored = AuditEvent.objects.get(pk=events[2].pk)
    assert compute_hash(canonical_content(stored)) == stored.hash
    assert verify_chain().ok
    assert verify_chain().checked == 5


def test_verify_audit_command_reports_intact_chain(db: Any) -> None:
    _events(3)
    out = StringIO()
    call_command("verify_audit", stdout=out)
    assert "审计日志完整 / audit chain intact: 3 events" in out.getvalue()


def test_empty_trail_verifies(db: Any) -> None:
    assert verify_chain().ok
    assert verify_chain().checked == 0


def test_trigger_is_installed(db: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass"
                       " AND NOT tgisinternal")
        names = {row[0] for row in cursor.fetchall()}
    assert names == {APPEND_ONLY_TRIGGER}


# psycopg reports RAISE EXCEPTION (SQLSTATE P0001) as ProgrammingError: any DatabaseError will do.
def test_update_is_rejected(db: Any) -> None:
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="改了")
    event.reason = "改了"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.save()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET reason = 'x'")
    assert AuditEvent.objects.get(pk=event.pk).reason == "第0步"


def test_delete_is_rejected(db: Any) -> None:
    event = _events(1)[0]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        event.delete()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_verify_detects_altered_content(db: Any) -> None:
    events = _events(4)
    _tamper("UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["没什么", events[1].id])

    result = verify_chain()
    assert not result.ok
    assert result.first_broken_id == events[1].id
    assert result.problem.startswith(CONTENT_ALTERED)
    assert result.checked == 2
    with pytest.raises(CommandError, match=rf"event {events[1].id}: {CONTENT_ALTERED}"):
        call_command("verify_audit")


def test_verify_detects_altered_prev_hash(db: Any) -> None:
    events = _events(4)
    _tamper("UPDATE audit_auditevent SET prev_hash = %s WHERE id = %s", ["f" * 64, events[2].id])

    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, events[2].id)
    assert result.problem.startswith(LINK_BROKEN)
    with pytest.raises(CommandError, match=rf"event {events[2].id}: {LINK_BROKEN}"):
        call_command("verify_audit")


def test_verify_detects_rehashed_forgery(db: Any) -> None:
    """A forger who also recomputes the altered row's hash breaks the next link."""
    events = _events(4)
    forged = AuditEvent.objects.get(pk=events[1].pk)
    forged.reason = "伪造"
    new_hash = compute_hash(canonical_content(forged))
    _tamper("UPDATE audit_auditevent SET reason = %s, hash = %s WHERE id = %s",
            [forged.reason, new_hash, forged.id])

    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, events[2].id)
    assert result.problem.startswith(LINK_BROKEN)


def test_verify_detects_removed_event(db: Any) -> None:
    events = _events(4)
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].id])
    result = verify_chain()
    assert (result.ok, result.first_broken_id) == (False, events[2].id)


def test_verify_streams_in_chunks(db: Any) -> None:
    _events(7)
    assert verify_chain(chunk_size=2) == verify_chain()


def test_rolled_back_append_leaves_chain_intact(db: Any) -> None:
    first = _events(1)[0]
    with pytest.raises(RuntimeError), transaction.atomic():
        record_event("test.doomed")
        raise RuntimeError
    after = record_event("test.after")
    assert after.prev_hash == first.hash
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_stay_linear() -> None:
    threads_n, per_thread = 2, 20
    barrier = threading.Barrier(threads_n)
    errors: list[BaseException] = []

    def append(thread_no: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                # Like a workflow service: the event is part of a longer transaction.
                # The pause before commit widens the window in which an unserialised
                # appender would read a stale "latest hash".
                with transaction.atomic():
                    record_event("test.concurrent", new={"thread": thread_no, "i": i})
                    time.sleep(0.002)
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=append, args=(n,)) for n in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    hashes = list(AuditEvent.objects.order_by("id").values_list("prev_hash", "hash"))
    assert len(hashes) == threads_n * per_thread
    expected_prev = GENESIS_HASH
    for prev_hash, hash_ in hashes:
        assert prev_hash == expected_prev
        expected_prev = hash_
    result = verify_chain()
    assert result.ok and result.checked == threads_n * per_thread


@pytest.mark.django_db(transaction=True)
def test_flush_after_transactional_test_still_works() -> None:
    """Runs after the test above: pytest-django's flush (TRUNCATE) emptied the table."""
    assert not AuditEvent.objects.exists()
    assert record_event("test.after_flush").prev_hash == GENESIS_HASH
