"""`souq search create|status|rebuild|reconcile` and the Celery rebuild/reconcile tasks, for real."""

from __future__ import annotations

import secrets

import pytest
from celery import Celery

from core.opensearch import ads_alias
from core.task_names import REBUILD_TASK, RECONCILE_TASK
from indexer.index_admin import indices_of, rebuilding_alias
from tests.integration.pipeline_fixtures import indexed, insert_ads, json_of, run_search_cli
from tests.polling import wait_until


@pytest.fixture()
def own_settings(test_settings):
    """An alias of this test's own (same database): no relay writes into it."""
    return test_settings.with_overrides(
        index_prefix=f"{test_settings.index_prefix}-lc{secrets.token_hex(2)}")


def test_create_status_rebuild_reconcile_through_the_cli(own_settings, session_factory, search_client):
    alias = ads_alias(own_settings)
    missing = run_search_cli(own_settings, "status", "--json")
    assert missing.exit_code == 1
    assert "no index" in json_of(missing)["errors"][0]

    created = run_search_cli(own_settings, "create", "--json")
    assert created.exit_code == 0 and json_of(created)["created"] is True
    first = json_of(created)["index"]
    ids = insert_ads(session_factory, 25)

    rebuilt = run_search_cli(own_settings, "rebuild", "--json")
    assert rebuilt.exit_code == 0, rebuilt.output
    report = json_of(rebuilt)
    assert report["loaded"] == report["total"] >= 25
    assert report["dropped"] == [first] and not search_client.indices.exists(index=first)
    assert indices_of(search_client, alias) == [report["index"]]
    assert indices_of(search_client, rebuilding_alias(alias)) == []
    assert set(indexed(search_client, alias, ids)) == set(ids)
    settings = search_client.indices.get_settings(index=report["index"])[report["index"]]["settings"]
    assert settings["index"]["refresh_interval"] == own_settings.refresh_interval

    status = run_search_cli(own_settings, "status", "--json")
    facts = json_of(status)
    assert status.exit_code == 0 and facts["errors"] == []
    assert facts["indices"] == [report["index"]]
    assert facts["index_fingerprint"] == facts["config_fingerprint"]
    assert facts["docs_total"] == report["total"]
    human = run_search_cli(own_settings, "status")
    assert human.exit_code == 0 and alias in human.stdout

    clean = run_search_cli(own_settings, "reconcile", "--dry-run", "--json")
    assert clean.exit_code == 0 and json_of(clean)["drift"] == {}, clean.output


def test_rebuild_keeps_old_on_request_and_drops_a_crashed_leftover(own_settings, search_client):
    alias = ads_alias(own_settings)
    assert run_search_cli(own_settings, "create").exit_code == 0
    first = indices_of(search_client, alias)[0]
    # A crashed rebuild: an index left behind the rebuilding alias.
    leftover = f"{alias}-crashed-1"
    search_client.indices.create(index=leftover, body={"aliases": {rebuilding_alias(alias): {}}})

    result = run_search_cli(own_settings, "rebuild", "--keep-old")
    assert result.exit_code == 0, result.output
    assert "rebuild" in result.stderr  # the progress bar
    assert not search_client.indices.exists(index=leftover)
    assert search_client.indices.exists(index=first)  # kept, detached
    assert first not in indices_of(search_client, alias)


def test_help_of_every_command():
    from click.testing import CliRunner

    from souq_cli.search import search_group

    for command in ("create", "rebuild", "status", "reconcile"):
        result = CliRunner().invoke(search_group, [command, "--help"])
        assert result.exit_code == 0 and "--json" in result.output


def test_rebuild_and_reconcile_run_as_celery_tasks(test_settings, worker, search_client, alias,
                                                   session_factory):
    ids = insert_ads(session_factory, 5)
    wait_until(lambda: len(indexed(search_client, alias, ids)) == 5, timeout=30, what="relayed")
    before = indices_of(search_client, alias)
    sender = Celery("test-sender", broker=test_settings.redis_url)
    sender.send_task(REBUILD_TASK, queue=test_settings.celery_queue)
    wait_until(lambda: indices_of(search_client, alias) not in ([], before), timeout=60,
               what="alias swapped by the rebuild task")
    assert set(indexed(search_client, alias, ids)) == set(ids)

    search_client.delete(index=alias, id=str(ids[0]), version=1, version_type="external_gte",
                         refresh=True)
    sender.send_task(RECONCILE_TASK, queue=test_settings.celery_queue)
    wait_until(lambda: ids[0] in indexed(search_client, alias, ids), timeout=60,
               what="reconcile task restored the deleted document")


def test_metrics_endpoint_reports_the_pipeline(client):
    response = client.get("/metrics")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    for name in ("souq_outbox_backlog_rows", "souq_outbox_oldest_age_seconds", "souq_index_documents",
                 'souq_metrics_source_up{source="opensearch"} 1.0'):
        assert name in body, body


def test_an_index_from_before_a_new_field_is_found_and_rebuilt(own_settings, session_factory, search_client):
    """After an upgrade that adds a document field, the strict old mapping would refuse every write."""
    from indexer.rebuild import missing_fields
    from search_config.loader import index_body
    from souq_cli.processes import upgrade_index_shape

    alias = ads_alias(own_settings)
    old_body = index_body()
    del old_body["mappings"]["properties"]["content_digest"]
    search_client.indices.create(index=f"{alias}-old", body=old_body)
    search_client.indices.put_alias(index=f"{alias}-old", name=alias)
    assert missing_fields(search_client, alias) == ["content_digest"]
    upgrade_index_shape(own_settings, search_client, alias)
    assert missing_fields(search_client, alias) == []
    assert indices_of(search_client, alias) != [f"{alias}-old"]
    upgrade_index_shape(own_settings, search_client, alias)  # current: nothing to do
    search_client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)
