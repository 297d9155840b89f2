"""Field names of the ad document: the one list every reader and writer uses."""

ID = "id"
SLUG = "slug"
TITLE = "title"
TITLE_EXACT = "title.exact"
TITLE_AUTOCOMPLETE = "title.autocomplete"
DESCRIPTION = "description"
DESCRIPTION_EXACT = "description.exact"
CATEGORY_ID = "category_id"
CATEGORY_PATH = "category_path"
CATEGORY_NAME = "category_name"
AREA_ID = "area_id"
AREA_PATH = "area_path"
AREA_NAME = "area_name"
PRICE_AMOUNT = "price_amount"
CURRENCY = "currency"
PRICE_USD = "price_usd"
NEGOTIABLE = "negotiable"
CONDITION = "condition"
HAS_IMAGES = "has_images"
IMAGES = "images"
LOCATION = "location"
LOCATION_PRECISE = "location_precise"
CREATED_AT = "created_at"
EXPIRES_AT = "expires_at"
STATUS = "status"
VERSION = "version"
# SHA-256 of every other field but the version: lets reconcile see a document whose
# content differs from its row at the same version (a write the engine refused).
CONTENT_DIGEST = "content_digest"
# Equal for copies of one seller's ad (core.duplicates.duplicate_key): the page folds them.
DUPLICATE_KEY = "duplicate_key"

# Temporary, for the callers other issue-22 branches still edit (indexer/index_status.py,
# bench/arabic_eval.py): the merge moves them to core.models.AdStatus.ACTIVE and deletes this.
SEARCHABLE_STATUS = "active"
