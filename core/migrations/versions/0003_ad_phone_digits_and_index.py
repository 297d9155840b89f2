"""ad phones in ASCII digits, and an index to find one phone's ads

Phones typed in fullwidth or other-script digits were stored as typed, so the
same number could be stored in several spellings; they are rewritten in the
canonical form `core.text_input.normalise_phone` now gives. The index serves
the duplicate check on posting (a phone's live ads, newest first).

Revision ID: 0003
Revises: 0002
"""
import unicodedata

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _canonical(phone: str) -> str:
    """The stored phone with every decimal digit in ASCII (frozen here: migrations never change)."""
    text = unicodedata.normalize("NFKC", phone)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def upgrade() -> None:
    conn = op.get_bind()
    # Only rows with a character outside ASCII digits and '+' can need rewriting.
    rows = conn.execute(sa.text("SELECT id, contact_phone FROM ads WHERE contact_phone !~ '^[+0-9]*$'"))
    for ad_id, phone in rows.fetchall():
        canonical = _canonical(phone)
        if canonical != phone:
            conn.execute(sa.text("UPDATE ads SET contact_phone = :phone WHERE id = :id"),
                         {"phone": canonical, "id": ad_id})
    op.create_index('ix_ads_contact_phone_id', 'ads', ['contact_phone', 'id'])


def downgrade() -> None:
    op.drop_index('ix_ads_contact_phone_id', table_name='ads')
