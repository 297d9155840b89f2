"""Migration 0003 on a real database: phones stored as typed (other digit scripts) become canonical."""

from __future__ import annotations

import secrets

from sqlalchemy import create_engine, text

from core.migrate import upgrade


def test_phones_typed_in_other_scripts_are_rewritten(stack, base_settings):
    name = f"souq_mig{secrets.token_hex(4)}"
    admin = create_engine(base_settings.database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = base_settings.database_url.rsplit("/", 1)[0] + f"/{name}"
    database = create_engine(url)
    try:
        upgrade(url, "0002")
        with database.begin() as conn:
            conn.execute(text("INSERT INTO categories (slug, name_ar, name_en, position) VALUES ('c', 'c', 'c', 0)"))
            conn.execute(text("INSERT INTO areas (slug, name_ar, name_en, kind, alt_names, lat, lon, population)"
                              " VALUES ('a', 'a', 'a', 'city', '[]', 33.5, 36.3, 0)"))
            for phone in ("０９４４１２３４５６", "०९४४१२३४५७", "+963944123458"):
                conn.execute(text(
                    "INSERT INTO ads (slug, title, description, category_id, area_id, currency, negotiable,"
                    " contact_name, contact_phone, images, status, created_at, updated_at, expires_at, version,"
                    " token_hash) SELECT :slug, 't', '', (SELECT id FROM categories), (SELECT id FROM areas),"
                    " 'SYP', false, 'n', :phone, '[]', 'active', now(), now(), now(), 1, 'h'"),
                    {"slug": secrets.token_hex(4), "phone": phone})
        upgrade(url, "0003")
        with database.connect() as conn:
            phones = sorted(conn.scalars(text("SELECT contact_phone FROM ads")))
            indexes = set(conn.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'ads'")))
        assert phones == ["+963944123458", "0944123456", "0944123457"]
        assert "ix_ads_contact_phone_id" in indexes
    finally:
        database.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
