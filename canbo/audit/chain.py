"""The hash chain over the audit trail: each event's content hash, and sealing events into the chain.

Why two steps. Every event gets a `content_hash` when it is written (sha256 over a canonical
serialization of its content), inside the transaction of the change it records. The chain itself
(`AuditLink`: seq, event, previous hash, link hash) is appended after that transaction commits,
by a short "seal" transaction under a lock of its own. Chaining inside the writing transaction
would serialize every audited write behind one lock held until commit: a 100,000-row import runs
about a minute in one transaction and would block every other edit for that minute.

- `stamp` sets an event's occurred_at (when unset) and content_hash; the three writers call it
  (`services.record_event`, the bulk people writers of `canbo.exchange.bulk`, the demo builder).
- `seal_on_commit` collects the ids written by the current transaction and seals them in one
  go once it commits; a rollback discards them with the transaction.
- `seal` appends links for given events, or (no ids) sweeps every event not linked yet: those whose
  process died between commit and seal, and events written before the chain existed. `canbo
  audit seal`, `canbo audit verify` and `canbo backup` sweep first.

The canonical form is the same on SQLite (JSON stored as text) and PostgreSQL (jsonb, which
reorders keys and rewrites numbers): keys are sorted, and a float with an integral value is
written as that integer (jsonb returns 1e20 as 100000000000000000000 and 1.0 as 1.0, which
JSON readers may parse as an int or a float). 1 and 1.0 therefore hash alike.
"""

import datetime as dt
import decimal
import hashlib
import json

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from .models import AuditEvent, AuditLink

FORMAT = "canbo-audit-v1"
GENESIS = "0" * 64
# One seal transaction appends at most this many links, so that sealing a 100,000-row import
# never holds the chain lock for long: other sealers interleave between chunks.
SEAL_CHUNK = 5000
# pg_advisory_xact_lock key of the chain: any constant bigint; this one is "canbo" + "aud" in ASCII.
PG_CHAIN_LOCK = 0x63616E626F617564

CONTENT_FIELDS = (
    "occurred_at", "actor_id", "actor_label", "source", "action", "object_type_id", "object_id",
    "object_repr", "unit_id", "before", "after",
)  # fmt: skip


def _canonical_float(text: str):
    value = float(text)
    if value.is_integer():
        # Through the shortest repr, as jsonb stores it: int(1e20) is not 10**20 exactly.
        return int(decimal.Decimal(repr(value)))
    return value


# Built once: json.dumps/loads with options build a new encoder or decoder on every call.
_READ = json.JSONDecoder(parse_float=_canonical_float).decode
_WRITE = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
_PLAIN = json.JSONEncoder().encode  # what Django's JSONField writes
_HEAD = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_from_text(text: str | None) -> str:
    """The canonical form of a JSON document as stored in the database (None for SQL NULL)."""
    if text is None:
        return "null"
    return _WRITE(_READ(text))


def json_from_value(value) -> str:
    """The canonical form of a Python value as the JSONField will store it (None for SQL NULL)."""
    if value is None:
        return "null"
    # Through JSON text first: tuples become lists and non-string keys strings, as in the database.
    return json_from_text(_PLAIN(value))


def _utc(value: dt.datetime) -> str:
    if timezone.is_naive(value):
        value = timezone.make_aware(value)  # what Django does with a naive datetime on save
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _int_or_none(value):
    return None if value is None else int(value)


def digest(occurred_at, actor_id, actor_label, source, action, object_type_id, object_id, object_repr, unit_id,
            before_json: str, after_json: str) -> str:  # fmt: skip
    head = _HEAD(
        [FORMAT, _utc(occurred_at), _int_or_none(actor_id), str(actor_label), str(source), str(action),
         _int_or_none(object_type_id), _int_or_none(object_id), str(object_repr), _int_or_none(unit_id)]
    )  # fmt: skip
    return hashlib.sha256(f"{head[:-1]},{before_json},{after_json}]".encode()).hexdigest()


def content_hash(event) -> str:
    """The content hash of an event about to be written (a model instance or any object with
    the AuditEvent attributes, as the demo builder's plain rows)."""
    return digest(
        event.occurred_at, event.actor_id, event.actor_label, event.source, event.action, event.object_type_id,
        event.object_id, event.object_repr, event.unit_id, json_from_value(event.before), json_from_value(event.after),
    )  # fmt: skip


def stored_content_hash(row: dict) -> str:
    """The content hash of an event as read back from the database, its JSON columns as text."""
    return digest(
        row["occurred_at"], row["actor_id"], row["actor_label"], row["source"], row["action"], row["object_type_id"],
        row["object_id"], row["object_repr"], row["unit_id"], json_from_text(row["before"]), json_from_text(row["after"]),
    )  # fmt: skip


def link_hash(seq: int, event_id: int, prev_hash: str, event_hash: str) -> str:
    """A link covers its place (seq), its event's id and content, and the link before it."""
    return hashlib.sha256(f"{seq}|{event_id}|{prev_hash}|{event_hash}".encode()).hexdigest()


def stamp(event):
    """Set occurred_at (when unset) and content_hash on an event before it is inserted."""
    if getattr(event, "occurred_at", None) is None:
        event.occurred_at = timezone.now()
    event.content_hash = content_hash(event)
    return event


def events_as_text(using: str = DEFAULT_DB_ALIAS):
    """AuditEvent rows with before/after as their stored JSON text, for recomputing hashes."""
    return (
        AuditEvent.objects.using(using)
        .order_by()
        .annotate(before_text=Cast("before", TextField()), after_text=Cast("after", TextField()))
        .values("id", "content_hash", "before_text", "after_text", *[f for f in CONTENT_FIELDS if f not in ("before", "after")])
    )  # fmt: skip


def recomputed_hash(row: dict) -> str:
    return stored_content_hash({**row, "before": row["before_text"], "after": row["after_text"]})


# --------------------------------------------------------------------------------------------
# Sealing
# --------------------------------------------------------------------------------------------


def _lock_chain(using: str) -> None:
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PG_CHAIN_LOCK])
    # SQLite: the seal transaction is a write transaction (BEGIN IMMEDIATE in canbo's settings),
    # and SQLite runs one at a time; the primary key on seq refuses a fork in any case.


def _append(ids: list[int], using: str) -> int:
    """One seal transaction: link the given events not linked yet, in id order.

    Plain SQL rather than the ORM: sealing the 700,000 events of a large demo build took
    three times as long through bulk_create and ORM lookups.
    """
    connection = connections[using]
    event_table, link_table = AuditEvent._meta.db_table, AuditLink._meta.db_table
    with transaction.atomic(using=using), connection.cursor() as cursor:
        _lock_chain(using)
        cursor.execute(
            f"SELECT e.id, e.content_hash FROM {event_table} e LEFT JOIN {link_table} l ON l.event_id = e.id "
            f"WHERE e.id IN ({', '.join(['%s'] * len(ids))}) AND l.seq IS NULL ORDER BY e.id",
            ids,
        )  # ids of rolled-back savepoints are simply absent
        hashes = dict(cursor.fetchall())
        if not hashes:
            return 0
        # Events written before the chain existed carry no hash: computed now from their content.
        missing = [pk for pk, value in hashes.items() if not value]
        if missing:
            for row in events_as_text(using).filter(id__in=missing):
                hashes[row["id"]] = recomputed_hash(row)
        cursor.execute(f"SELECT seq, link_hash FROM {link_table} ORDER BY seq DESC LIMIT 1")
        seq, prev = cursor.fetchone() or (0, GENESIS)
        links = []
        for pk in sorted(hashes):
            seq += 1
            current = link_hash(seq, pk, prev, hashes[pk])
            links.append((seq, pk, prev, current))
            prev = current
        cursor.executemany(
            f"INSERT INTO {link_table} (seq, event_id, prev_hash, link_hash) VALUES (%s, %s, %s, %s)", links
        )
        return len(links)


def seal(ids=None, *, using: str = DEFAULT_DB_ALIAS) -> int:
    """Append links for `ids`, or for every event not linked yet; returns the number appended."""
    if ids is None:
        return sweep(using=using)["sealed"]
    ids = sorted(set(ids))
    sealed = 0
    for start in range(0, len(ids), SEAL_CHUNK):
        sealed += _append(ids[start : start + SEAL_CHUNK], using)
    return sealed


def unsealed(using: str = DEFAULT_DB_ALIAS):
    """Events with no link yet."""
    return AuditEvent.objects.using(using).filter(link__isnull=True)


def sweep(*, using: str = DEFAULT_DB_ALIAS, late_after: dt.timedelta = dt.timedelta(minutes=5)) -> dict:
    """Seal every event not linked yet. Reports how many, and how many were already older than
    `late_after` (their writer's own seal never ran: a process stopped between commit and seal,
    or rows written by something other than canbo's writers)."""
    cutoff = timezone.now() - late_after
    found = list(unsealed(using).order_by("id").values_list("id", "occurred_at"))
    late = [pk for pk, when in found if when < cutoff]
    sealed = seal([pk for pk, _when in found], using=using) if found else 0
    return {"sealed": sealed, "late": len(late), "first_late_id": late[0] if late else None}


def seal_on_commit(ids, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Seal these events once the current transaction commits (at once outside a transaction).

    All the events of one transaction go into one list sealed by one callback; when that callback
    is gone (its savepoint rolled back), the next event starts a new list.
    """
    connection = connections[using]
    callback = getattr(connection, "_canbo_audit_seal", None)
    if callback is None or not any(entry[1] is callback for entry in connection.run_on_commit):
        pending: list[int] = []

        def seal_after_commit():
            connection._canbo_audit_seal = None
            seal(pending, using=using)

        seal_after_commit.pending = pending
        callback = seal_after_commit
        if connection.in_atomic_block:
            connection._canbo_audit_seal = callback
        callback.pending.extend(ids)
        # robust: the change itself is committed; a failed seal leaves the events to the sweep.
        transaction.on_commit(callback, using=using, robust=True)
        return
    callback.pending.extend(ids)
