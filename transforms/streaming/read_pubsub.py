"""ReadPubsubArticles: a Google Cloud Pub/Sub subscription to raw article records.

Each message's data is one article as in a JSON Lines input (``text`` or ``html``,
optional ``id``, ``url``, ``title``, ``source``, ``published_at``, ``language``).
Its attributes carry the publication time (``published_at``, RFC 3339, which Beam
takes as the element's event time) and the article's id (``id``, which Pub/Sub uses to
drop redelivered copies). An attribute fills a field the body lacks.

    data b'{"text": "Gunmen attacked ...", "url": "https://..."}'
    attributes {"published_at": "2024-03-01T09:14:00Z", "id": "wire-123"}
      -> {"external_id": "wire-123", "published_at": datetime(2024, 3, 1, 9, 14, tzinfo=UTC),
          "text": "Gunmen attacked ...", "input": "pubsub:projects/p/subscriptions/s", ...}

A message that is not a valid article becomes a reject row (stage "read").
"""
from __future__ import annotations

import datetime as dt

import apache_beam as beam

from newsevents.transforms.core.article_formats import (
    ReadLimits, RecordError, apply_default_published_at, parse_jsonl_line, parse_published_at)
from newsevents.transforms.routing import ARTICLES, REJECTS, RouteByTag, reject_row


def record_from_message(data: bytes, attributes: dict, message_id: str, source: str,
                        limits: ReadLimits = ReadLimits(), now: dt.datetime | None = None,
                        published_attribute: str = "published_at", id_attribute: str = "id") -> dict:
    """One Pub/Sub message to a raw record; RecordError for a bad one."""
    record = parse_jsonl_line(data, limits, now)
    attributes = attributes or {}
    if record.get("published_at") is None and attributes.get(published_attribute):
        record["published_at"] = parse_published_at(attributes[published_attribute], now, limits)
        record["published_at_source"] = "attribute"
    if record.get("external_id") is None and attributes.get(id_attribute):
        record["external_id"] = str(attributes[id_attribute])
    record = apply_default_published_at(record, None)
    digits = "".join(ch for ch in str(message_id or "") if ch.isdigit())[:18]
    record.update(input=source, position=int(digits) if digits else 0, input_format="pubsub")
    return record


class ParsePubsubMessageFn(beam.DoFn):
    def __init__(self, source: str, limits: ReadLimits, published_attribute: str, id_attribute: str):
        self.source = source
        self.limits = limits
        self.published_attribute = published_attribute
        self.id_attribute = id_attribute

    def process(self, message):
        data = getattr(message, "data", message)
        attributes = getattr(message, "attributes", None) or {}
        message_id = getattr(message, "message_id", None) or ""
        try:
            yield ARTICLES, record_from_message(
                data, attributes, message_id, self.source, self.limits,
                published_attribute=self.published_attribute, id_attribute=self.id_attribute)
        except RecordError as err:
            yield REJECTS, reject_row(self.source, 0, "read", str(err), data)


class ParsePubsubMessages(beam.PTransform):
    """PubsubMessage elements (or bare bytes) -> {"articles", "rejects"}; the part of
    ReadPubsubArticles a TestStream can drive."""

    def __init__(self, source: str, limits: ReadLimits = ReadLimits(),
                 published_attribute: str = "published_at", id_attribute: str = "id"):
        super().__init__()
        self.source = source
        self.limits = limits
        self.published_attribute = published_attribute
        self.id_attribute = id_attribute

    def expand(self, messages):
        return (messages
                | "ParseMessages" >> beam.ParDo(ParsePubsubMessageFn(
                    self.source, self.limits, self.published_attribute, self.id_attribute))
                | "RouteMessages" >> RouteByTag((ARTICLES, REJECTS)))


class ReadPubsubArticles(beam.PTransform):
    """A subscription ("projects/P/subscriptions/S") -> {"articles", "rejects"}, with
    each article's publication time as its event time."""

    def __init__(self, subscription: str, limits: ReadLimits = ReadLimits(),
                 published_attribute: str = "published_at", id_attribute: str = "id"):
        super().__init__()
        self.subscription = subscription
        self.limits = limits
        self.published_attribute = published_attribute
        self.id_attribute = id_attribute

    def expand(self, pbegin):
        messages = pbegin | "ReadFromPubSub" >> beam.io.ReadFromPubSub(
            subscription=self.subscription, with_attributes=True,
            timestamp_attribute=self.published_attribute, id_label=self.id_attribute)
        return messages | "ParsePubsub" >> ParsePubsubMessages(
            f"pubsub:{self.subscription}", self.limits, self.published_attribute,
            self.id_attribute)
