"""The post/edit form: HTML fields -> the same AdCreate/AdUpdate the API validates, and
validation errors -> one Arabic message per field, shown next to the field.

Rules live in core.ad_input only; this module translates, it never re-validates.
Both digit systems are accepted because the validators fold Arabic-Indic digits.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from core.ad_input import AdCreate, AdUpdate
from core.ads import UnknownReference
from core.models import REPORT_REASONS
from core.money import Currency

FORM_FIELDS = ("title", "description", "category", "area", "price", "currency", "negotiable",
               "condition", "contact_name", "contact_phone", "images")

MESSAGES = {
    "title": "اكتب عنواناً من ٣ إلى ١٢٠ حرفاً.",
    "description": "الوصف أطول من ٥٠٠٠ حرف.",
    "category": "اختر فئة فرعية من القائمة.",
    "area": "اختر مدينة أو حياً من القائمة.",
    "price": "اكتب السعر أرقاماً فقط (مثل 150000 أو ١٥٠٠٠٠)، أو اتركه فارغاً.",
    "currency": "اختر العملة: ليرة سورية أو دولار.",
    "negotiable": "قيمة غير صالحة.",
    "condition": "اختر حالة السلعة من الخيارات.",
    "contact_name": "اكتب اسماً من حرفين إلى ٨٠ حرفاً.",
    "contact_phone": "اكتب رقم هاتف صحيحاً من ٦ إلى ١٥ رقماً (مثل 0944123456 أو ٠٩٤٤١٢٣٤٥٦).",
    "images": "روابط الصور: حتى ١٠ روابط، رابط في كل سطر.",
    "lat": "الموقع غير صالح.",
    "lon": "الموقع غير صالح.",
}
GENERAL_MESSAGE = "تعذّر حفظ الإعلان: راجع الحقول المشار إليها."
# The other ad is not linked: a phone number proves nothing about who posted it.
DUPLICATE_MESSAGE = ("لديك إعلان منشور بهذا الرقم وبالعنوان والوصف نفسيهما. "
                     "عدّل إعلانك السابق من رابط الإدارة بدلاً من نشره مرة أخرى.")
DUPLICATE_FIELDS = {"title": "إعلان بهذا العنوان والوصف منشور من قبل بهذا الرقم.",
                    "contact_phone": "لهذا الرقم إعلان منشور بالمحتوى نفسه."}

REASON_LABELS = {
    "spam": "إعلان مزعج أو مكرر التسويق", "fraud": "احتيال", "wrong_category": "فئة خاطئة",
    "offensive": "محتوى مسيء", "sold": "تم البيع", "duplicate": "إعلان مكرر", "other": "سبب آخر",
}
assert set(REASON_LABELS) == set(REPORT_REASONS)

CONDITION_LABELS = {"": "غير محدد", "new": "جديد", "used": "مستعمل"}
CURRENCY_LABELS: dict[str, str] = {Currency.SYP: "ليرة سورية", Currency.USD: "دولار أمريكي"}


def form_values(form: MultiDict[str, str]) -> dict[str, str]:
    """The raw field values, to refill the form after an error (never trusted further)."""
    values = {name: form.get(name, "") for name in FORM_FIELDS}
    values["negotiable"] = "1" if form.get("negotiable") else ""
    return values


def ad_payload(form: MultiDict[str, str]) -> dict[str, Any]:
    """Form fields in the shape the API accepts: blanks are "not given", images one per line."""
    payload: dict[str, Any] = {name: form.get(name, "") for name in
                               ("title", "description", "category", "area", "price", "currency",
                                "condition", "contact_name", "contact_phone")}
    payload["negotiable"] = bool(form.get("negotiable"))
    images = [line.strip() for line in form.get("images", "").splitlines() if line.strip()]
    payload["images"] = images
    return payload


def field_errors(exc: ValidationError | UnknownReference) -> dict[str, str]:
    """One Arabic message per field that failed (the first failure of each)."""
    if isinstance(exc, UnknownReference):
        return {exc.field: MESSAGES.get(exc.field, GENERAL_MESSAGE)}
    errors: dict[str, str] = {}
    for error in exc.errors():
        name = str(error["loc"][0]) if error["loc"] else ""
        errors.setdefault(name if name in MESSAGES else "", MESSAGES.get(name, GENERAL_MESSAGE))
    return errors


def validate_create(form: MultiDict[str, str]) -> AdCreate:
    return AdCreate.model_validate(ad_payload(form))


def validate_update(form: MultiDict[str, str]) -> AdUpdate:
    """Edit replaces every field of the form; an emptied price removes the price."""
    payload = ad_payload(form)
    payload["price"] = payload["price"] or None
    return AdUpdate.model_validate(payload)
