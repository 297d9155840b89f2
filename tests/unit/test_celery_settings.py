"""Celery settings that agree: no task outlives the broker's lease on its message.

With late acks, Redis hands a message not acknowledged within
`visibility_timeout` to another worker while the first may still be running
it; so the timeout must exceed every task's hard time limit.
"""

from __future__ import annotations

from core.config import Settings
from core.task_names import EXPIRE_TASK, REBUILD_TASK, RECONCILE_TASK, RELAY_TASK
from workers.app import TIME_LIMITS, make_celery, visibility_timeout


def _app():
    import workers.tasks  # noqa: F401 - registers the shared tasks

    app = make_celery(Settings())
    app.finalize()
    return app


def test_every_task_has_a_time_limit_below_the_visibility_timeout():
    app = _app()
    timeout = app.conf.broker_transport_options["visibility_timeout"]
    assert timeout == visibility_timeout()
    ours = {name: task for name, task in app.tasks.items() if name.startswith("souq.")}
    assert set(ours) == {RELAY_TASK, EXPIRE_TASK, RECONCILE_TASK, REBUILD_TASK} == set(TIME_LIMITS)
    for name, task in ours.items():
        assert task.time_limit == TIME_LIMITS[name].hard, name
        assert task.soft_time_limit == TIME_LIMITS[name].soft < task.time_limit, name
        assert task.time_limit < timeout, name
    # The longest task is the rebuild (4 h); the old 600 s lease sat below even the reconcile.
    assert timeout > app.tasks[REBUILD_TASK].time_limit >= 4 * 3600


def test_late_acks_stay_on_and_the_schedule_sends_only_registered_tasks():
    app = _app()
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert {entry["task"] for entry in app.conf.beat_schedule.values()} <= set(app.tasks)


def test_the_web_sends_the_relay_by_the_one_name():
    import service.resources

    assert service.resources.RELAY_TASK is RELAY_TASK
