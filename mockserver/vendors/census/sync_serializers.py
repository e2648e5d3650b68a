"""Census-shaped JSON for sources, source types, models, syncs and sync runs (plain data in, JSON out)."""

from __future__ import annotations

from typing import Any

from mockserver.vendors.census.catalogue import Connector
from mockserver.vendors.census.credentials import connection_details
from mockserver.vendors.census.sources import name_of


def source(record: dict[str, Any], source_type: Connector) -> dict[str, Any]:
    return {
        "id": record["id"],
        "name": name_of(record, source_type),
        "label": record["label"],
        "type": record["type"],
        "created_at": record["created_at"],
        "last_test_results": record["last_test_results"],
        "last_test_succeeded": record["last_test_succeeded"],
        "last_tested_at": record["last_tested_at"],
        "connection_details": connection_details(source_type, record["credentials"], record["system_details"]),
        "read_only_connection": record["read_only_connection"],
    }


def model(record: dict[str, Any], columns: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "type": "model",
        "id": record["id"],
        "name": record["name"],
        "description": record["description"],
        "query": record["query"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "compiled_query": None,
        "columns": columns,
    }


def dataset(record: dict[str, Any]) -> dict[str, Any]:
    """A SQL model as the datasets API shows it (datasets are the models' newer name): the fields the
    vendor documents (`type`, `query`, `source_id`) with the model's identity and times [infer]."""
    return {
        "id": record["id"],
        "name": record["name"],
        "type": "sql",
        "description": record["description"],
        "query": record["query"],
        "source_id": record["source_id"],
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
    }


def sync(record: dict[str, Any], source_object: dict[str, Any], status: str) -> dict[str, Any]:
    """`source_object` is the model or table as GET /sources/{id}/objects shows it."""
    return {
        "id": record["id"],
        "label": record["label"],
        "resource_identifier": f"sync_{record['id']}",
        "status": status,
        "created_at": record["created_at"],
        "updated_at": record["updated_at"],
        "operation": record["operation"],
        "paused": record["paused"],
        "schedule_frequency": record["schedule_frequency"],
        "schedule_day": record["schedule_day"],
        "schedule_hour": record["schedule_hour"],
        "schedule_minute": record["schedule_minute"],
        "cron_expression": record["cron_expression"],
        "source_attributes": {"connection_id": record["source_id"], "filter_segment_id": None, "object": source_object},
        "destination_attributes": {
            "connection_id": record["destination_id"],
            "object": record["destination_object"],
            "lead_union_insert_to": record["lead_union_insert_to"],
        },
        "mappings": record["mappings"],
        "triggers": record["triggers"],
        "field_behavior": record["field_behavior"],
        "field_normalization": record["field_normalization"],
        "high_water_mark_attributes": record["high_water_mark_attributes"],
        "failed_run_notifications_enabled": record["failed_run_notifications_enabled"],
        "failed_record_notifications_enabled": record["failed_record_notifications_enabled"],
        "failed_record_notifications_threshold_percent": record["failed_record_notifications_threshold_percent"],
    }


RUN_KEYS = (
    "id", "sync_id", "source_record_count", "source_record_updates", "source_record_deletes", "source_record_invalids",
    "records_processed", "records_updated", "records_failed", "records_invalid", "created_at", "updated_at",
    "completed_at", "scheduled_execution_time", "error_code", "error_message", "error_detail", "status",
)


def sync_run(record: dict[str, Any]) -> dict[str, Any]:
    """`current_step` only while the run is queued or working, and on a failed run (where it stopped)."""
    shown = {key: record[key] for key in RUN_KEYS}
    if record["current_step"] is not None:
        shown["current_step"] = record["current_step"]
    shown["canceled"] = record["canceled"]
    shown["full_sync"] = record["full_sync"]
    shown["sync_trigger_reason"] = record["sync_trigger_reason"]
    return shown
