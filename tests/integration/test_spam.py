"""Spam on posting, against the real PostgreSQL, Redis and OpenSearch: duplicates refused,
concurrent copies serialised, limits per network prefix and per phone, copies folded in search.

Each test posts with a phone of its own, and each app that enables limits has an
index prefix of its own (the limiter's Redis namespace), so counters never mix.
"""

from __future__ import annotations

import datetime as dt
import secrets
import socket
import threading
from collections import Counter

import pytest

from core.ad_input import AdCreate
from core.ads import create_ad
from core.db import transaction
from indexer.relay import drain_outbox
from tests.integration.conftest import app_under_test
from tests.integration.test_web_pages import csrf_token, unique_word

AD = {"title": "كيا ريو 2015 للبيع", "description": "بحالة ممتازة، فحص كامل، السعر قابل للتفاوض",
      "category": "cars", "area": "damascus-city", "price": "5000", "currency": "USD",
      "contact_name": "أبو سامر"}


def new_phone() -> str:
    return "09" + "".join(secrets.choice("0123456789") for _ in range(8))


def spam_app(test_settings, **overrides):
    """An app with the duplicate check on, and limits on only if `overrides` says so."""
    tag = f"{test_settings.index_prefix}-spam{secrets.token_hex(3)}"
    settings = test_settings.with_overrides(**({"duplicate_check_enabled": True, "index_prefix": tag,
                                                "rate_limits_enabled": False} | overrides))
    return app_under_test(settings)


def post(app, address: str, **changes):
    client = app.test_client()
    return client.post("/api/v1/ads", json=AD | changes, environ_base={"REMOTE_ADDR": address})


def test_a_hundred_copies_from_five_addresses_make_one_ad(test_settings):
    app = spam_app(test_settings, rate_limits_enabled=True)
    phone = new_phone()
    addresses = [f"198.51.{block}.7" for block in range(100, 105)]
    statuses = Counter(post(app, addresses[i % 5], contact_phone=phone).status_code for i in range(100))
    # 1 accepted; the next copies are refused as duplicates until the phone's
    # limit (10 a day) turns every further attempt into a 429.
    assert statuses == {201: 1, 409: 9, 429: 90}, statuses


def test_without_the_check_all_hundred_were_accepted(test_settings):
    """The figure before this change, for the report: nothing stopped the copies."""
    app = app_under_test(test_settings)  # the session's app: check and limits off
    phone = new_phone()
    statuses = Counter(post(app, f"198.51.{100 + i % 5}.7", contact_phone=phone).status_code for i in range(100))
    assert statuses == {201: 100}


def test_duplicate_answer_names_fields_in_both_languages_and_hides_the_other_ad(test_settings):
    app = spam_app(test_settings)
    phone = new_phone()
    first = post(app, "192.0.2.1", contact_phone=phone)
    assert first.status_code == 201
    again = post(app, "192.0.2.2", contact_phone="".join(chr(0xFF10 + int(d)) for d in phone),
                 title="🔥 للبيع كيا ريو ٢٠١٥", price="5200")
    assert again.status_code == 409, again.get_json()
    error = again.get_json()["error"]
    assert error["code"] == "duplicate" and {"title", "description", "contact_phone"} <= set(error["fields"])
    assert "phone" in error["message"] and "إعلان" in error["message"]
    body = again.get_data(as_text=True)
    assert first.get_json()["slug"] not in body and str(first.get_json()["id"]) not in body
    other_item = post(app, "192.0.2.3", contact_phone=phone, title="هيونداي النترا 2012 للبيع")
    assert other_item.status_code == 201, other_item.get_json()


def test_concurrent_identical_posts_make_exactly_one_ad(test_settings):
    app = spam_app(test_settings)
    phone, threads_n = new_phone(), 8
    barrier = threading.Barrier(threads_n)
    statuses: list[int] = []
    lock = threading.Lock()

    def fire(i: int) -> None:
        client = app.test_client()  # its own client, its own request and database session
        barrier.wait()
        status = client.post("/api/v1/ads", json=AD | {"contact_phone": phone},
                             environ_base={"REMOTE_ADDR": f"203.0.113.{i}"}).status_code
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=fire, args=(i,)) for i in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Counter(statuses) == {201: 1, 409: threads_n - 1}, statuses


def test_prefix_limit_is_shared_by_the_api_and_the_form(test_settings):
    app = spam_app(test_settings, rate_limits_enabled=True, rate_limit_create_prefix="3 per hour")
    for host in (1, 2, 3):
        response = post(app, f"192.0.2.{host}", contact_phone=new_phone(), title=f"سيارة رقم {unique_word()}")
        assert response.status_code == 201, response.get_json()
    limited = post(app, "192.0.2.200", contact_phone=new_phone(), title=f"سيارة {unique_word()}")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    form = app.test_client()
    token = csrf_token(form)
    page = form.post("/post", data=AD | {"contact_phone": new_phone(), "csrf_token": token},
                     environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert page.status_code == 429 and "طلبات كثيرة" in page.get_data(as_text=True)
    mapped = post(app, "::ffff:192.0.2.9", contact_phone=new_phone(), title=f"سيارة {unique_word()}")
    assert mapped.status_code == 429, "an IPv4-mapped address is its IPv4 /24"
    elsewhere = post(app, "192.0.3.1", contact_phone=new_phone(), title=f"سيارة {unique_word()}")
    assert elsewhere.status_code == 201


def test_ipv6_prefix_limit_is_per_64(test_settings):
    app = spam_app(test_settings, rate_limits_enabled=True, rate_limit_create_prefix="2 per hour")
    codes = [post(app, f"2001:db8:5:6::{n:x}", contact_phone=new_phone(), title=f"سيارة {unique_word()}").status_code
             for n in (1, 0xbeef, 0xffff)]
    assert codes == [201, 201, 429]
    assert post(app, "2001:db8:5:7::1", contact_phone=new_phone(), title=f"سيارة {unique_word()}").status_code == 201


def test_phone_limit_counts_the_number_in_any_digit_script(test_settings):
    app = spam_app(test_settings, rate_limits_enabled=True, rate_limit_create_phone="2 per day")
    phone = new_phone()
    arabic = phone.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    fullwidth = "".join(chr(0xFF10 + int(d)) for d in phone)
    codes = [post(app, f"10.{n}.0.1", contact_phone=typed, title=f"سيارة {unique_word()}").status_code
             for n, typed in enumerate((phone, arabic, fullwidth))]
    assert codes == [201, 201, 429]
    limited = post(app, "10.9.0.1", contact_phone=phone, title=f"سيارة {unique_word()}")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert "contact_phone" in limited.get_json()["error"]["fields"]
    form = app.test_client()
    page = form.post("/post", data=AD | {"contact_phone": arabic, "csrf_token": csrf_token(form)},
                     environ_base={"REMOTE_ADDR": "10.99.0.1"})
    assert page.status_code == 429


def test_the_form_shows_the_arabic_duplicate_message(test_settings):
    app = spam_app(test_settings)
    phone = new_phone()
    form = app.test_client()
    data = AD | {"contact_phone": phone}
    assert form.post("/post", data=data | {"csrf_token": csrf_token(form)}).status_code == 201
    again = form.post("/post", data=data | {"title": "للبيع كيا ريو ٢٠١٥", "csrf_token": csrf_token(form)})
    html = again.get_data(as_text=True)
    assert again.status_code == 409
    assert "لديك إعلان منشور بهذا الرقم" in html and 'value="للبيع كيا ريو ٢٠١٥"' in html


@pytest.fixture()
def copies_in_the_index(session_factory, search_client, alias, test_settings):
    """Two copies of one ad written as old data was, past the posting check, and indexed."""
    word, phone = unique_word(), new_phone()
    now = dt.datetime.now(dt.UTC)
    with transaction(session_factory) as session:
        for title, price in ((f"كيا ريو {word} 2015", "5000"), (f"🔥 {word} كيا ريو ٢٠١٥", "4800")):
            data = AdCreate.model_validate(AD | {"title": title, "price": price, "contact_phone": phone})
            create_ad(session, data, now, 30)
        other = AdCreate.model_validate(AD | {"title": f"هيونداي {word}", "contact_phone": phone})
        create_ad(session, other, now, 30)
    drain_outbox(session_factory, search_client, alias, 500, test_settings.syp_per_usd,
                 lambda: dt.datetime.now(dt.UTC), max_batches=100)
    search_client.indices.refresh(index=alias)
    return word


def test_search_shows_one_copy_per_page(client, copies_in_the_index):
    word = copies_in_the_index
    body = client.get("/api/v1/search", query_string={"q": word}).get_json()
    assert body["total"] == 3  # the engine counts every copy; the page shows one
    titles = [result["title"] for result in body["results"]]
    assert len(titles) == 2 and sum("كيا" in title for title in titles) == 1, titles
    assert all("duplicate_key" not in result for result in body["results"])
    page = client.get("/search", query_string={"q": word}).get_data(as_text=True)
    assert page.count("كيا ريو") == 1 and "هيونداي" in page


def test_limits_fail_open_when_their_redis_is_down(test_settings):
    """A Redis outage lets posts through (logged), never a 500: with Redis up the second is a 429."""
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        dead = sock.getsockname()[1]
    app = spam_app(test_settings, rate_limits_enabled=True, redis_url=f"redis://127.0.0.1:{dead}/0",
                   duplicate_check_enabled=False, rate_limit_create="1 per hour", rate_limit_create_phone="1 per day")
    phone = new_phone()
    codes = [post(app, "198.18.0.9", contact_phone=phone, title=f"سيارة {unique_word()}").status_code
             for _ in range(2)]
    assert codes == [201, 201]
    # The limiter's storage is per process (service.rate_limits): give it back the stack's Redis.
    up = spam_app(test_settings, rate_limits_enabled=True, duplicate_check_enabled=False,
                  rate_limit_create="1 per hour")
    codes = [post(up, "198.18.0.10", contact_phone=new_phone(), title=f"سيارة {unique_word()}").status_code
             for _ in range(2)]
    assert codes == [201, 429]
