"""Verifying the audit trail: recompute every event's content hash and walk the chain link by link.

The first broken link is reported, with what is wrong there: a link missing (a gap in seq), a
link that does not follow the one before (its previous hash differs), an event deleted, an event
whose content no longer hashes to what was sealed, or a link whose own hash was altered.

What the chain cannot show by itself: removing the newest links and events together leaves a
shorter chain that is intact. Hence the anchor: the head (seq and hash) kept off the database
server (the backup manifest, or the file of `canbo audit verify --anchor FILE`); a later chain
must still hold that link with that hash.

Reads in chunks of `CHUNK` links by seq (the primary key), so that memory stays flat on a trail of
hundreds of thousands of events.
"""

import dataclasses
import time

from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone
from django.utils.translation import gettext as _

from . import chain
from .chain import GENESIS, sweep, unsealed
from .models import AuditEvent, AuditLink

CHUNK = 5000


@dataclasses.dataclass
class Problem:
    """The first place where the chain does not hold."""

    kind: str  # link_missing | link_order | event_missing | event_twice | content_changed | link_changed | anchor
    seq: int | None
    event_id: int | None = None
    expected: str | None = None
    found: str | None = None

    def message(self) -> str:
        values = {"seq": self.seq, "event": self.event_id}
        if self.kind == "link_missing":
            return _("Thiếu mắt xích số %(seq)s: mắt xích đã bị xóa.") % values
        if self.kind == "link_order":
            return _(
                "Mắt xích số %(seq)s (sự kiện số %(event)s) không nối tiếp mắt xích trước: "
                "chuỗi đã bị sửa, xóa hoặc đảo thứ tự."
            ) % values
        if self.kind == "event_missing":
            return _("Sự kiện số %(event)s (mắt xích số %(seq)s) đã bị xóa.") % values
        if self.kind == "event_twice":
            return _("Sự kiện số %(event)s có mặt hai lần trong chuỗi (mắt xích số %(seq)s).") % values
        if self.kind == "content_changed":
            return _("Nội dung sự kiện số %(event)s (mắt xích số %(seq)s) đã bị sửa sau khi ghi.") % values
        if self.kind == "link_changed":
            return _(
                "Mã băm của mắt xích số %(seq)s (sự kiện số %(event)s) không khớp: "
                "sự kiện hoặc mắt xích đã bị sửa."
            ) % values
        if self.kind == "anchor":
            return _("Chuỗi không còn chứa mắt xích số %(seq)s như mốc đã lưu: các mắt xích cuối đã bị xóa hoặc viết lại.") % values
        return self.kind

    def as_json(self) -> dict:
        return {**dataclasses.asdict(self), "message": self.message()}


@dataclasses.dataclass
class Verification:
    intact: bool
    links: int  # links checked
    events: int  # events in the table
    unsealed: int  # events with no link when the walk ended
    head: dict | None  # {"seq", "event_id", "hash"} of the last link checked
    problem: Problem | None = None
    swept: dict | None = None  # what the sweep before the walk sealed
    anchor: dict | None = None  # the anchor checked, if any
    seconds: float = 0.0

    def as_json(self) -> dict:
        data = dataclasses.asdict(self)
        data["problem"] = self.problem.as_json() if self.problem else None
        return data


def _links_with_events(using: str):
    """(link…, event…) rows in seq order, in chunks; the event columns are NULL when it is gone.

    One LEFT JOIN per chunk, by seq range: an IN list of ids per chunk cost a third more.
    """
    connection = connections[using]
    text = "{}::text" if connection.vendor == "postgresql" else "{}"
    query = f"""
        SELECT l.seq, l.event_id, l.prev_hash, l.link_hash, e.id, e.occurred_at, e.actor_id, e.actor_label,
               e.source, e.action, e.object_type_id, e.object_id, e.object_repr, e.unit_id,
               {text.format("e.before")}, {text.format("e.after")}, e.content_hash
        FROM {AuditLink._meta.db_table} l LEFT JOIN {AuditEvent._meta.db_table} e ON e.id = l.event_id
        WHERE l.seq > %s ORDER BY l.seq LIMIT %s
    """  # fmt: skip
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(query, [last, CHUNK])
            batch = cursor.fetchall()
        if not batch:
            return
        yield batch
        last = batch[-1][0]


def _walk(using: str, anchor: dict | None) -> tuple[int, dict | None, Problem | None]:
    """Walk the chain; returns (links that hold, the last of them, the first problem or None)."""
    db_timezone = connections[using].timezone
    expected_seq, prev, last_event = 1, GENESIS, None
    seen: set[int] = set()
    anchor_seen = False

    def result(problem):
        head = {"seq": expected_seq - 1, "event_id": last_event, "hash": prev} if expected_seq > 1 else None
        return expected_seq - 1, head, problem

    for batch in _links_with_events(using):
        for seq, event_id, prev_hash, stored, found_id, occurred_at, *content, before, after, content_hash in batch:
            if seq != expected_seq:
                return result(Problem("link_missing", expected_seq))
            if prev_hash != prev:
                return result(Problem("link_order", seq, event_id, expected=prev, found=prev_hash))
            if event_id in seen:
                return result(Problem("event_twice", seq, event_id))
            if found_id is None:
                return result(Problem("event_missing", seq, event_id))
            if timezone.is_naive(occurred_at):  # SQLite gives back naive datetimes in the database's zone
                occurred_at = timezone.make_aware(occurred_at, db_timezone)
            computed = chain.digest(occurred_at, *content, chain.json_from_text(before), chain.json_from_text(after))
            if content_hash and content_hash != computed:
                return result(Problem("content_changed", seq, event_id, expected=content_hash, found=computed))
            expected_link = chain.link_hash(seq, event_id, prev, computed)
            if stored != expected_link:
                return result(Problem("link_changed", seq, event_id, expected=expected_link, found=stored))
            if anchor and seq == anchor["seq"]:
                if stored != anchor["hash"]:
                    return result(Problem("anchor", seq, event_id, expected=anchor["hash"], found=stored))
                anchor_seen = True
            seen.add(event_id)
            prev, expected_seq, last_event = stored, seq + 1, event_id
    if anchor and not anchor_seen and anchor["seq"] > 0:
        return result(Problem("anchor", anchor["seq"], expected=anchor["hash"]))
    return result(None)


def verify(*, using: str = DEFAULT_DB_ALIAS, seal_first: bool = True, anchor: dict | None = None) -> Verification:
    """Check the whole chain; with `seal_first`, seal events not linked yet before walking it.

    `anchor` ({"seq", "hash"}) is a head recorded earlier: the chain must still hold it.
    """
    started = time.monotonic()
    swept = sweep(using=using) if seal_first else None
    links, head, problem = _walk(using, anchor)
    return Verification(
        intact=problem is None,
        links=links,
        events=AuditEvent.objects.using(using).count(),
        unsealed=unsealed(using).count(),
        head=head,
        problem=problem,
        swept=swept,
        anchor=anchor,
        seconds=round(time.monotonic() - started, 2),
    )


def chain_head(using: str = DEFAULT_DB_ALIAS) -> dict | None:
    """The newest link as {"seq", "event_id", "hash"}, or None for an empty chain."""
    head = AuditLink.objects.using(using).order_by("-seq").values_list("seq", "event_id", "link_hash").first()
    return {"seq": head[0], "event_id": head[1], "hash": head[2]} if head else None
