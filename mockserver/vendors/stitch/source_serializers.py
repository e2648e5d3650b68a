"""Stitch-shaped JSON for sources, streams, extractions, loads, logs, tokens and notifications."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from mockserver.engine.clock import parse_iso
from mockserver.vendors.stitch.serializers import connection_fields, visible_properties
from mockserver.vendors.stitch.source_types import SourceType, StreamTemplate
from mockserver.vendors.stitch.streams import NON_DISCOVERABLE

PAGE_SIZE = 100


def source(record: dict[str, Any], stype: SourceType, client_id: int, card: dict[str, Any], schedule: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"properties": visible_properties(record, stype), "updated_at": record["updated_at"], "schedule": schedule}
    if record["check_job_name"]:
        body["check_job_name"] = record["check_job_name"]
    body.update(connection_fields(record, client_id))
    body["report_card"] = card
    return body


# -- streams ----------------------------------------------------------------------------------------
def stream_metadata(stype: SourceType, tpl: StreamTemplate, record: dict[str, Any]) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if stype.database is None:
        meta["forced-replication-method"] = "INCREMENTAL" if tpl.replication_key else "FULL_TABLE"
    else:
        meta["database-name"] = record["database_name"]
        meta["is-view"] = tpl.view
        meta["row-count"] = tpl.rows
        meta["schema-name"] = record["schema_name"]
    meta["selected"] = record["selected"]
    meta["table-key-properties"] = list(tpl.key)
    if tpl.replication_key and stype.database is None:
        meta["valid-replication-keys"] = [tpl.replication_key]
    for key in NON_DISCOVERABLE[1:]:
        value = record.get(key.replace("-", "_"))
        if value is not None:
            meta[key] = value
    return meta


def stream(stype: SourceType, tpl: StreamTemplate, record: dict[str, Any]) -> dict[str, Any]:
    return {
        "selected": record["selected"],
        "stream_id": record["id"],
        "tap_stream_id": record["tap_stream_id"],
        "stream_name": record["stream_name"],
        "metadata": stream_metadata(stype, tpl, record),
    }


def field_metadata(tpl: StreamTemplate, record: dict[str, Any], field: str) -> dict[str, Any]:
    if field in tpl.unsupported:
        meta: dict[str, Any] = {"unsupported-description": tpl.unsupported[field], "inclusion": "unsupported"}
    else:
        meta = {"inclusion": "automatic" if field in tpl.automatic() else "available"}
    if field in tpl.sql_types:
        meta["sql-datatype"] = tpl.sql_types[field]
    meta["selected"] = bool(record["fields"].get(field, False))  # always present: clients read it on every field
    return meta


def stream_schema(stype: SourceType, tpl: StreamTemplate, record: dict[str, Any]) -> dict[str, Any]:
    entries = [{"breadcrumb": [], "metadata": stream_metadata(stype, tpl, record)}]
    entries += [{"breadcrumb": ["properties", f], "metadata": field_metadata(tpl, record, f)} for f in tpl.fields]
    return {
        "schema": json.dumps(tpl.schema()),
        "metadata": entries,
        "non-discoverable-metadata-keys": list(NON_DISCOVERABLE),
    }


# -- extractions, loads, logs ------------------------------------------------------------------------
def extraction(job: dict[str, Any], client_id: int) -> dict[str, Any]:
    return {
        "target_exit_status": job["target_exit_status"],
        "job_name": job["job_name"],
        "start_time": job["start_time"],
        "stitch_client_id": client_id,
        "tap_exit_status": job["tap_exit_status"],
        "source_type": job["source_type"],
        "target_description": job["target_description"],
        "discovery_exit_status": job["discovery_exit_status"],
        "discovery_description": job["discovery_description"],
        "tap_description": job["tap_description"],
        "completion_time": job["completion_time"],
        "source_id": job["source_id"],
    }


def load(record: dict[str, Any], source_name: str, client_id: int) -> dict[str, Any]:
    return {
        "stitch_client_id": client_id,
        "source_name": source_name,
        "stream_name": record["stream_name"],
        "last_batch_loaded_at": record["last_batch_loaded_at"],
        "error_state": record["error_state"],
    }


def page(items: list[Any], number: int, path: str) -> dict[str, Any]:
    """Stitch's paginated envelope: 100 a page, `links.next`/`previous` only where such a page exists."""
    start = (number - 1) * PAGE_SIZE
    links: dict[str, str] = {}
    if start + PAGE_SIZE < len(items):
        links["next"] = f"{path}?page={number + 1}"
    if number > 1 and items:
        links["previous"] = f"{path}?page={min(number - 1, (len(items) - 1) // PAGE_SIZE + 1)}"
    return {"data": items[start : start + PAGE_SIZE], "page": number, "total": len(items), "links": links}


def _stamp(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S},{moment.microsecond // 1000:03d}Z"


def extraction_log(job: dict[str, Any]) -> str:
    """The job's log: `<timestamp> <main|tap|target> - <LEVEL> <text>`, one line per event so far."""
    start = parse_iso(job["start_time"])
    lines: list[tuple[datetime, str]] = []

    def at(moment: datetime, where: str, level: str, text: str) -> None:
        lines.append((moment, f"{_stamp(moment)} {where} - {level} {text}"))

    at(start, "main", "INFO", f"Starting replication job {job['job_name']}")
    at(start, "main", "INFO", f"Running {job['source_type']} in sync mode")
    extracted = parse_iso(job["extracted_at"]) if job["extracted_at"] else None
    if extracted is not None and job["tap_exit_status"] == 0:
        for index, item in enumerate(job["streams"]):
            moment = start + (extracted - start) * (index + 1) / (len(job["streams"]) + 1)
            at(moment, "tap", "INFO", f'replicated {item["rows"]} records from "{item["stream_name"]}" endpoint')
            at(moment, "target", "INFO",
               f"com.stitchdata.target-stitch-avro.flush-pipeline - send-stream-record-count-impl {item['stream_name']} {item['rows']}")
        at(extracted, "tap", "INFO", "Exiting normally")
    done = parse_iso(job["finished_at"]) if job.get("finished_at") else None
    if done is not None:
        if job["tap_exit_status"] not in (0, None):
            at(done, "tap", "CRITICAL", job["tap_description"] or "Tap exited with a non-zero status")
            at(done, "main", "INFO", "Tap exited with status 1")
        elif job["tap_description"] == "Terminated":
            at(done, "main", "CRITICAL", "Terminated")
        else:
            at(done, "main", "INFO", f"Target exited with status {job['target_exit_status']}")
    lines.sort(key=lambda pair: pair[0])
    return "\n".join(text for _, text in lines) + "\n"


# -- notifications -----------------------------------------------------------------------------------
def hook(record: dict[str, Any], client_id: int) -> dict[str, Any]:
    return {
        "id": record["id"],
        "client_id": client_id,
        "type": record["type"],
        "version": record["version"],
        "destination_id": record["destination_id"],
        "config": dict(record["config"]),
        "created_at": record["created_at"],
        "modified_at": record["modified_at"],
        "disabled_at": record["disabled_at"],
    }


def custom_email(record: dict[str, Any], client_id: int) -> dict[str, Any]:
    return {
        "id": record["id"],
        "client_id": client_id,
        "email_address": record["email_address"],
        "created_at": record["created_at"],
        "disabled_at": record["disabled_at"],
    }

