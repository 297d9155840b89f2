"""Word lists and phrase templates for synthetic Syrian classified ads.

Data, not logic: one `Profile` per leaf category of ``core/seed/categories.json``. A profile
holds title templates, description sentences, slot vocabularies and a price model. Templates
use ``{slot}`` names; a slot is a list (one item is picked) or a function of the generator's
`random.Random`. One value is drawn per slot per ad, so a title and its description agree.
Spellings deliberately mix standard and dialect words and both scripts for brands (the
poster, not the dictionary, decides how a word looks). Prices are modelled in US dollars;
the generator converts a share to Syrian pounds at a street-like rate.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

ARABIC_WORD = re.compile(r"[\u0621-\u064a]{3}")
Slot = list[str] | Callable[[random.Random], str]


@dataclass(frozen=True)
class Profile:
    titles: list[str]
    lines: list[str]
    usd: tuple[float, float] | None  # price range in USD; None = never priced
    syp_share: float = 0.35  # share of ads priced in SYP
    no_price: float = 0.05  # share of ads without a price ("السعر على الخاص")
    condition: tuple[float, float] | None = (0.25, 0.75)  # P(new), P(used); None = n/a
    negotiable: float = 0.45
    weight: float = 1.0  # relative frequency of the category
    images: tuple[int, ...] = (15, 25, 25, 15, 20)  # weights for 0..4 photos
    closing: tuple[str, ...] | None = None  # sign-off lines; None = the shared CLOSING list
    condition_lines: bool = False  # add NEW_LINES/USED_LINES matching the ad's condition
    slots: dict[str, Slot] = field(default_factory=dict)


def _num(lo: int, hi: int, step: int = 1) -> Callable[[random.Random], str]:
    """A number in lo..hi (every `step`), as text; the strings are made once, drawn per ad."""
    values = tuple(str(v) for v in range(lo, hi + 1, step))
    count = len(values)
    return lambda rng: values[int(rng.random() * count)]


def _branded(table: list[tuple[list[str], str, list[str], str]]) -> Callable[[random.Random], str]:
    """Brand + model written the way people do: Arabic, Latin, or one of each."""

    # Every spelling a row can produce, made once: a draw is then a few random numbers and
    # tuple lookups (this runs for most ads of the biggest categories).
    rows = tuple(
        (tuple(brand_ar), tuple(f"{b} {m}".strip() for b in brand_ar for m in models_ar), len(models_ar),
         f"{brand_en} {model_en}".strip(), tuple(f"{b} {model_en}".strip() for b in brand_ar),
         tuple(m if ARABIC_WORD.search(m) else None for m in models_ar))
        for brand_ar, brand_en, models_ar, model_en in table
    )
    count = len(rows)

    def pick(rng: random.Random) -> str:
        rand = rng.random
        brands, brand_model, models, latin, brand_latin, alone = rows[int(rand() * count)]
        mode = rand()
        if mode < 0.55:  # Arabic brand and model
            return brand_model[int(rand() * len(brand_model))]
        if mode < 0.8:  # Latin brand and model
            return latin
        model = alone[int(rand() * models)]
        if mode < 0.92 or model is None:  # Arabic brand, Latin model
            return brand_latin[int(rand() * len(brands))]
        return model  # "كورولا" alone: the brand goes without saying

    return pick


# ---------------------------------------------------------------- shared vocabulary
ARABIC_FIRST_NAMES = [
    "محمد", "أحمد", "احمد", "علي", "عمر", "خالد", "حسن", "حسين", "مصطفى", "يوسف", "إبراهيم",
    "ابراهيم", "عبد الله", "عبدالله", "سامر", "فادي", "رامي", "باسل", "وسيم", "مازن", "جورج",
    "إلياس", "طارق", "ماهر", "نضال", "زياد", "أيمن", "ايمن", "بشار", "عماد", "يزن", "حمزة",
    "فاطمة", "مريم", "نور", "رنا", "ريم", "هبة", "لمى", "سلمى", "رهف", "دانة", "ديما", "لين",
    "سوسن", "غادة", "منى", "ميس", "روان", "آية", "اية", "جنى", "ماريا", "ريتا", "هالة",
    "أبو أحمد", "ابو محمد", "أبو علي", "ابو خالد", "أم محمد", "ام أحمد", "أبو جورج",
]

COLORS = ["أبيض", "ابيض", "أسود", "اسود", "فضي", "سكني", "رمادي", "أحمر", "كحلي", "خمري",
          "بيج", "ذهبي", "أزرق", "اخضر", "شمبانيا", "لؤلؤي"]
GOOD_STATE = ["نظيف جداً", "نظيف جدا", "بحالة ممتازة", "بحاله ممتازه", "شبه جديد", "استعمال خفيف",
              "نظافة 95%", "نظافه ٩٠٪", "بحالة الوكالة", "ما فيه ولا علة", "كالجديد", "نخب أول"]
URGENT = ["للبيع", "للبيع عاجل", "عاجل", "فرصة", "لقطة", "للبيع بداعي السفر", "بسعر مغري"]

CLOSING = [
    "للتواصل اتصال أو واتساب.", "للتواصل واتس فقط.", "السعر قابل للتفاوض.", "السعر نهائي.",
    "الرجاء الجدية فقط.", "المعاينة في {area}.", "التسليم باليد في {area}.", "يوجد توصيل لكل المحافظات.",
    "لا يرد على الرسائل بعد الساعة 10 ليلاً.", "للاستفسار على الخاص.", "البيع لأعلى سعر.",
    "أرقام المحتالين ما بترد عليها 🙏", "الله يوفق الجميع.", "يرجى عدم الإزعاج بأسعار خيالية.",
]
GOODS_LINES = [
    "{state}.", "سبب البيع السفر.", "مع الكرتونة وكامل الملحقات.", "مكفول.", "عليه كفالة {months} أشهر.",
    "يوجد إمكانية للمبادلة.", "بضاعة أجنبية أصلية.", "صنع ألماني.", "صناعة تركية.", "صناعة سورية ممتازة.",
    "اللون {color}.",
]
# Added by the generator according to the ad's condition, so text and field agree.
USED_LINES = ["الاستعمال {months} أشهر فقط.", "سبب البيع تغيير الموديل.", "بدون كرتونة.",
              "القطعة مجربة وشغالة 100%.", "مستعمل نظيف.", "فيه خدش خفيف ما بيأثر."]
NEW_LINES = ["جديد بالكرتونة لم يستعمل.", "جديد بالكفالة.", "بضاعة جديدة وصلت.", "الكمية محدودة."]
NEW_STATE = ["جديد", "جديد بالكرتونة", "نيو", "جديد غير مستعمل", "جديد ضمن الكفالة"]
COND_WORD = {"new": ["جديد", "جديد بالكرتونة", "نيو", "جديد للبيع"],
             "used": ["مستعمل", "مستعمل نظيف", "استعمال خفيف", "مستعمل للبيع"],
             None: ["للبيع", "بسعر مناسب", "بسعر حرق"]}
COMMON_SLOTS: dict[str, Slot] = {
    "color": COLORS, "state": GOOD_STATE, "urgent": URGENT, "months": _num(1, 11),
    "year": _num(1998, 2024), "n": _num(2, 10), "years_exp": _num(1, 15),
}


def goods(items: list[str], usd: tuple[float, float], *, weight: float = 1.0,
          extra_lines: list[str] | None = None, condition: tuple[float, float] = (0.3, 0.7),
          syp_share: float = 0.45, slots: dict[str, Slot] | None = None) -> Profile:
    """A plain "thing for sale" profile: most small categories need nothing more."""
    return Profile(
        titles=["{item} {state}", "{urgent} {item}", "{item} للبيع", "{item} {color} {state}",
                "للبيع {item} بسعر حرق", "{item} {cond_word}", "{urgent} {item} {cond_word}"],
        lines=GOODS_LINES + (extra_lines or []),
        usd=usd, syp_share=syp_share, condition=condition, weight=weight, condition_lines=True,
        slots={"item": items, **(slots or {})},
    )


# ---------------------------------------------------------------- vehicles
CAR_MODELS = [
    (["تويوتا", "تويتا"], "Toyota", ["كورولا", "كورلا", "كامري", "لاندكروزر", "هايلكس", "ياريس", "راف فور"], "Corolla"),
    (["هيونداي", "هونداي", "هيونداى"], "Hyundai", ["النترا", "إلنترا", "أكسنت", "اكسنت", "توسان", "سوناتا", "أفانتي", "فيرنا"], "Elantra"),
    (["كيا", "كيه"], "KIA", ["ريو", "سيراتو", "سبورتاج", "بيكانتو", "أوبتيما", "سورينتو"], "Cerato"),
    (["نيسان"], "Nissan", ["صني", "باترول", "تيدا", "قشقاي", "سيفي"], "Sunny"),
    (["مرسيدس", "مرسيدس بنز", "مارسيدس"], "Mercedes", ["E200", "C180", "S350", "فيتو"], "E200"),
    (["بي ام دبليو", "بي إم", "بيم"], "BMW", ["520", "X5", "318", "730"], "520i"),
    (["شيفروليه", "شفروليت", "شيفرولية"], "Chevrolet", ["أوبترا", "اوبترا", "سبارك", "أفيو", "كروز"], "Optra"),
    (["ميتسوبيشي", "متسوبيشي"], "Mitsubishi", ["لانسر", "باجيرو", "آوتلاندر"], "Lancer"),
    (["بيجو", "بيجو"], "Peugeot", ["206", "405", "301", "508"], "206"),
    (["سابا", "سايبا"], "Saipa", ["سابا", "تيبا", "شام"], "Saba"),
    (["مازدا"], "Mazda", ["3", "323", "6", "626"], "Mazda 3"),
    (["فولكس واجن", "فولكس", "فوكس فاغن"], "Volkswagen", ["غولف", "جولف", "باسات", "جيتا"], "Golf"),
    (["سكودا"], "Skoda", ["أوكتافيا", "اوكتافيا", "فابيا"], "Octavia"),
    (["رينو"], "Renault", ["لوغان", "لوجان", "ميغان", "سيمبول"], "Logan"),
    (["جيلي"], "Geely", ["إمجراند", "امجراند", "كولراي"], "Emgrand"),
    (["شيري"], "Chery", ["تيغو", "تيجو", "أريزو"], "Tiggo"),
    (["هوندا"], "Honda", ["سيفيك", "أكورد", "سي آر في"], "Civic"),
]
CARS = Profile(
    titles=["{car} موديل {year} للبيع", "للبيع {car} {year} {color}", "سيارة {car} {year} {state}",
            "سياره {car} موديل {year}", "موتر {car} {year} نظيف", "{car} {year} فل كامل",
            "{car} {year} اوتوماتيك", "{urgent} {car} {year}", "{car} {year} full option",
            "{car} {year} بحالة الوكالة", "سيارة للبيع {car} {year}"],
    lines=["المحرك {engine} سي سي.", "محرك {engine} cc بحالة ممتازة.", "الكيلومترات {km} كم فقط.",
           "ماشية {km} كيلو.", "الجير {gear}.", "اللون {color}.", "الدهان وكالة، بدون حوادث.",
           "فيها ضربة خفيفة بالصدام الخلفي.", "مكيفة وشغالة، كل شي بيشتغل.", "الأوراق نظامية والسيارة منقولة.",
           "نمرة {plate}.", "فحص كامل عند أي مركز.", "يوجد إمكانية للبدل على سيارة أصغر.",
           "دواليب جديدة وبطارية جديدة.", "فتحة سقف، شاشة، كاميرا خلفية.", "مصروفها خفيف على البنزين.",
           "غيرت الزيت والفلاتر من شهر.", "السيارة {state}.", "السعر {price_text}."],
    usd=(3000, 60000), syp_share=0.4, no_price=0.04, condition=(0.07, 0.93), negotiable=0.6,
    weight=12, images=(5, 10, 20, 25, 40),
    slots={"car": _branded(CAR_MODELS), "engine": ["1300", "1400", "1500", "1600", "1800", "2000", "2400", "3000"],
           "km": _num(20000, 350000, 1000), "gear": ["اوتوماتيك", "أوتوماتيك", "عادي", "جير عادي", "Automatic", "تيبترونيك"],
           "plate": ["دمشق", "حلب", "حمص", "اللاذقية", "ريف دمشق", "طرطوس", "حماة", "خصوصي", "عمومي"]},
)
MOTOS = Profile(
    titles=["موتور {moto} {year} للبيع", "دراجة نارية {moto} {state}", "موتوسيكل {moto} {cc} سي سي",
            "{moto} {cc}cc {year}", "موتور {moto} {color} نظيف", "{urgent} موتور {moto}"],
    lines=["المحرك {cc} سي سي.", "ماشي {km} كم.", "الأوراق نظامية ومسجل.", "بحاجة لتبديل الكوتشوك.",
           "مع خوذة هدية.", "اقتصادي بالبنزين.", "اللون {color}.", "{state}."],
    usd=(300, 6000), syp_share=0.55, condition=(0.2, 0.8), weight=3,
    slots={"moto": ["هوندا", "Honda", "ياماها", "Yamaha", "سوزوكي", "Suzuki", "بجاج", "Bajaj", "كيوي", "ايرانية"],
           "cc": ["110", "125", "150", "200", "250"], "km": _num(1000, 60000, 500)},
)
TRUCKS = Profile(
    titles=["شاحنة {truck} موديل {year}", "{truck} {year} للبيع", "سوزوكي بيك اب {year}", "جرار زراعي {year} للبيع",
            "باكر/تركس للبيع {year}", "قلاب {truck} {year}"],
    lines=["الحمولة {tons} طن.", "محرك ديزل بحالة ممتازة.", "جاهزة للشغل.", "الأوراق نظامية.", "مكينة مفتوحة حديثاً."],
    usd=(4000, 80000), syp_share=0.35, condition=(0.05, 0.95), weight=1.5,
    slots={"truck": ["مرسيدس", "Mercedes", "هيونداي", "Hyundai", "إيسوزو", "ايسوزو", "Isuzu", "فولفو", "Volvo", "هينو"],
           "tons": ["2", "3.5", "7", "10", "20"]},
)
BUSES = Profile(
    titles=["فان {van} {year} للبيع", "ميكرو باص {van} {year}", "سرفيس {van} {year} مع خط", "باص {van} {seats} راكب"],
    lines=["{seats} راكب.", "شغال على خط {area}.", "الأوراق نظامية عمومي.", "مكينة نظيفة ومكيف."],
    usd=(5000, 40000), condition=(0.05, 0.95), weight=1,
    slots={"van": ["هيونداي H1", "Hyundai H100", "كيا", "تويوتا هايس", "Toyota Hiace", "مرسيدس فيتو"], "seats": _num(7, 30)},
)
CAR_PARTS = goods(
    ["محرك {engine} سي سي", "جير اوتوماتيك", "كبوت {carbrand}", "صدام أمامي {carbrand}", "فانوس خلفي {carbrand}",
     "دواليب مع جنط 16", "جنوط رياضية", "بطارية سيارة 70 أمبير", "رديتر مي", "كمبريسة مكيف", "قطع غيار {carbrand} أصلية"],
    (20, 2500), weight=2.5, condition=(0.35, 0.65),
    extra_lines=["يناسب موديلات {year} وما فوق.", "قطع أصلية وكالة.", "مستعمل أجنبي بحالة ممتازة."],
    slots={"engine": ["1300", "1600", "2000"], "carbrand": ["كيا", "هيونداي", "تويوتا", "Kia", "Hyundai", "اوبترا", "سابا"]},
)
CAR_ACCESSORIES = goods(
    ["شاشة سيارة أندرويد", "كاميرا خلفية", "جلد مقاعد", "فرش سيارة", "مسجلة سيارة", "إنارة LED", "حساسات ركن",
     "كاميرا داش", "شاحن سيارة سريع"], (10, 400), weight=1)

# ---------------------------------------------------------------- real estate
RE_FEATURES = ["إكساء ديلوكس", "اكساء سوبر ديلوكس", "كسوة جيدة", "على العضم", "إكساء حجر", "طابو أخضر",
               "حكم محكمة", "كاتب عدل", "طابو أسهم", "اتجاه شمالي شرقي", "اتجاه قبلي", "إطلالة رائعة",
               "مصعد", "طاقة شمسية", "أمبيرات 24 ساعة", "بئر ماء", "خزان ماء", "كراج خاص", "قريبة من الخدمات",
               "تدفئة مركزية", "شرفة واسعة", "بلكون"]
RE_SLOTS: dict[str, Slot] = {
    "rooms": ["غرفتين وصالون", "2 غرف وصالون", "3 غرف وصالون", "ثلاث غرف", "4 غرف وصالونين", "غرفة وصالون",
              "3 نوم وصالون", "٣ غرف وصالون"],
    "sqm": _num(55, 260, 5), "floor": ["طابق أول", "الطابق الثاني", "ط3", "طابق رابع", "طابق أرضي", "أرضي مع حديقة",
                                        "طابق خامس", "روف", "الطابق 7"],
    "feat": RE_FEATURES, "feat2": RE_FEATURES,
    "home": ["شقة", "شقه", "بيت", "منزل", "شقة سكنية", "شقة طابقية"],
}
APARTMENTS_SALE = Profile(
    titles=["{home} للبيع في {area}", "للبيع {home} {sqm} م2 {area}", "{home} {rooms} للبيع", "{urgent} {home} في {area}",
            "{home} للبيع {feat}", "للبيع {home} {floor} في {area}", "{home} {sqm} متر للبيع"],
    lines=["المساحة {sqm} متر مربع.", "مساحة {sqm} م2.", "تتألف من {rooms} ومطبخ وحمام.", "{floor}.", "{feat}.", "{feat2}.",
           "الملكية {ownership}.", "المنطقة هادئة وقريبة من الخدمات.", "تصلح للسكن فوراً.", "السعر {price_text}.",
           "بدون وسيط", "مكتب عقاري يمنع الاقتراب 😅", "يوجد مكتب عقاري، العمولة 1%."],
    usd=(12000, 450000), syp_share=0.2, no_price=0.08, condition=None, negotiable=0.55, weight=9,
    images=(10, 10, 20, 25, 35),
    slots={**RE_SLOTS, "ownership": ["طابو أخضر", "حكم محكمة", "كاتب عدل", "وكالة عدلية"]},
)
APARTMENTS_RENT = Profile(
    titles=["{home} للإيجار في {area}", "للايجار {home} {furnished}", "{home} مفروشة للإيجار {area}",
            "للإيجار {home} {rooms}", "{home} للاجار شهري {area}", "{home} للإيجار سنوي", "غرفة للإيجار للطلاب في {area}"],
    lines=["{rooms}.", "{furnished}.", "{floor}.", "{feat}.", "الإيجار {period}.", "الدفع {advance} أشهر سلف.",
           "للعائلات فقط.", "تناسب طلاب الجامعة.", "يوجد أمبيرات وطاقة شمسية.", "قريبة من الجامعة.",
           "المساحة {sqm} م2.", "الإيجار {price_text} شهرياً."],
    usd=(100, 800), syp_share=0.45, no_price=0.05, condition=None, negotiable=0.4, weight=8,
    slots={**RE_SLOTS, "furnished": ["مفروشة", "مفروشه بالكامل", "غير مفروشة", "فرش جزئي", "مفروشة فرش فاخر"],
           "period": ["شهري", "سنوي", "لمدة 6 أشهر", "شهري أو سنوي"], "advance": ["3", "6", "12"]},
)
HOUSES = Profile(
    titles=["فيلا للبيع في {area}", "فيلا {sqm} م2 مع مسبح", "بيت عربي للبيع في {area}", "منزل مستقل للبيع {area}",
            "بيت مع حديقة للبيع", "دار عربية قديمة {area}"],
    lines=["مساحة الأرض {land} م2 والبناء {sqm} م2.", "{rooms}.", "{feat}.", "{feat2}.", "حديقة وأشجار مثمرة.",
           "مسبح وموقف سيارات.", "بيت عربي بأرض ديار وبحرة.", "السعر {price_text}."],
    usd=(40000, 900000), syp_share=0.15, condition=None, weight=2.5,
    slots={**RE_SLOTS, "land": _num(200, 2000, 50)},
)
LAND = Profile(
    titles=["أرض للبيع في {area}", "ارض زراعية {dunum} دونم", "أرض معدة للبناء {sqm} م2", "قطعة أرض للبيع {area}",
            "ارض للبيع {dunum} دونم مشجرة زيتون", "{urgent} أرض في {area}"],
    lines=["المساحة {dunum} دونم.", "مساحة {sqm} م2.", "مشجرة زيتون وفستق.", "عليها بئر ماء.", "طابو أخضر.",
           "ضمن المخطط التنظيمي.", "على طريق عام.", "تصلح لبناء فيلا أو مزرعة.", "السعر {price_text}."],
    usd=(3000, 300000), syp_share=0.3, condition=None, weight=3.5,
    slots={**RE_SLOTS, "dunum": _num(1, 40), "sqm": _num(150, 1500, 50)},
)
SHOPS = Profile(
    titles=["محل للبيع في {area}", "محل تجاري للإيجار {area}", "مكتب للإيجار {sqm} م2", "محل {sqm} متر على شارع رئيسي",
            "مستودع للإيجار في {area}", "فروغ محل في {area}"],
    lines=["المساحة {sqm} م2.", "واجهة {front} متر.", "على شارع رئيسي.", "يصلح لكافة المهن.", "مع سدة.",
           "{feat}.", "السعر {price_text}."],
    usd=(150, 250000), syp_share=0.3, condition=None, weight=2.5,
    slots={**RE_SLOTS, "sqm": _num(15, 200, 5), "front": _num(3, 12)},
)
FARMS = Profile(
    titles=["مزرعة للبيع في {area}", "شاليه للإيجار يومي", "مزرعة مع مسبح للإيجار", "استراحة للإيجار {area}"],
    lines=["مسبح وجلسة خارجية.", "مساحة {dunum} دونم.", "الإيجار يومي أو أسبوعي.", "مناسبة للعائلات والحفلات.",
           "أشجار مثمرة وبئر.", "{feat}."],
    usd=(50, 200000), syp_share=0.4, condition=None, weight=1.2, slots={**RE_SLOTS, "dunum": _num(1, 20)},
)
ROOMS = Profile(
    titles=["غرفة للإيجار في {area}", "سرير للإيجار لطالب", "غرفة مفروشة لشاب موظف", "سكن مشترك طلاب {area}"],
    lines=["للشباب فقط.", "للطالبات فقط.", "مفروشة مع إنترنت.", "حمام مستقل.", "قريب من {area}.", "الإيجار شهري."],
    usd=(30, 200), syp_share=0.7, condition=None, weight=1.5,
)

# ---------------------------------------------------------------- mobiles & electronics
PHONES = [
    (["ايفون", "آيفون", "أيفون", "ايفون"], "iPhone", ["11", "12", "13 برو", "14 برو ماكس", "15 برو", "16 برو ماكس", "XR", "11 pro max"], "13 Pro"),
    (["سامسونج", "سامسونغ", "سامسونك"], "Samsung", ["جالكسي S23", "غالاكسي S24 الترا", "A54", "A14", "A35", "نوت 20", "S21"], "Galaxy S22"),
    (["شاومي", "شاومى"], "Xiaomi", ["ريدمي نوت 12", "ردمي نوت 13", "بوكو X6", "13T"], "Redmi Note 13"),
    (["هواوي", "هواوى"], "Huawei", ["نوفا 11", "Y9", "P30"], "Nova 11"),
    (["اوبو", "أوبو"], "Oppo", ["رينو 10", "A78"], "Reno 10"),
    (["ريلمي"], "Realme", ["C55", "11 برو"], "C55"),
    (["انفينكس", "إنفينكس"], "Infinix", ["هوت 40", "نوت 30"], "Hot 40"),
    (["تكنو"], "Tecno", ["سبارك 20", "كامون 20"], "Spark 20"),
    (["هونر"], "Honor", ["X9b", "90"], "X9b"),
]
MOBILES = Profile(
    titles=["{phone} {gb} جيجا", "{phone_word} {phone} للبيع", "{phone} {gb}GB {state}", "{urgent} {phone}",
            "{phone} مجمرك {gb}", "{phone} بطارية {bat}%", "{phone_word} {phone} نظيف", "{phone} {color} للبيع"],
    lines=["الذاكرة {gb} جيجا والرام {ram}.", "البطارية {bat}%.", "{customs}.", "مع الكرتونة والشاحن الأصلي.",
           "بدون كرتونة.", "الشاشة بدون خدوش.", "فيه كسر خفيف بالشاشة.", "نسخة {version}.", "شريحتين.",
           "{state}.", "يوجد إمكانية بدل مع فرق.", "السعر {price_text}."],
    usd=(50, 1500), syp_share=0.35, condition=(0.3, 0.7), negotiable=0.5, weight=11,
    slots={"phone": _branded(PHONES), "phone_word": ["موبايل", "جوال", "موبايل", "تلفون", "هاتف"],
           "gb": ["64", "128", "256", "512"], "ram": ["4", "6", "8", "12"], "bat": _num(78, 100),
           "customs": ["مجمرك", "مسجل جمارك", "غير مجمرك", "مجمرك على الرقم"],
           "version": ["أمريكية", "خليجية", "أوروبية", "شرق أوسط"]},
)
TABLETS = goods(["آيباد {ipad}", "ايباد {ipad}", "iPad {ipad}", "تابلت سامسونج Tab S9", "تاب سامسونج A8", "تابلت لينوفو",
                 "تابلت شاومي Pad 6"], (60, 1200), weight=2.5, slots={"ipad": ["9", "10", "Air 5", "Pro 11", "ميني 6"]})
WATCHES_SMART = goods(["ساعة ذكية Apple Watch", "ساعة ابل ووتش سيريس 8", "ساعة سامسونج Galaxy Watch", "ساعة شاومي ذكية",
                       "سوار ذكي Mi Band"], (20, 500), weight=1.2)
MOBILE_ACC = goods(["سماعات ايربودز", "AirPods Pro", "شاحن سريع 65 واط", "باور بانك 20000", "كفرات موبايل",
                    "سماعة بلوتوث JBL", "لاصقات حماية"], (3, 200), weight=1.5, condition=(0.7, 0.3))

LAPTOPS = [
    (["ديل", "دل"], "Dell", ["لاتيتيود", "انسبايرون", "XPS"], "Latitude"),
    (["اتش بي", "إتش بي", "hp"], "HP", ["برو بوك", "إليت بوك", "بافيليون"], "ProBook"),
    (["لينوفو", "لينوڤو"], "Lenovo", ["ثينك باد", "ايديا باد", "ليجن"], "ThinkPad"),
    (["اسوس", "أسوس"], "Asus", ["ROG", "فيفوبوك", "TUF"], "VivoBook"),
    (["ايسر", "أيسر"], "Acer", ["نيترو", "أسباير"], "Aspire"),
    (["ماك بوك", "ماكبوك"], "MacBook", ["اير M1", "برو M2", "Air M2"], "Air M1"),
]
LAPTOPS_P = Profile(
    titles=["لابتوب {laptop} {cpu}", "لابتـوب {laptop} للبيع", "{laptop} {cpu} رام {ram}", "لاب توب {laptop} {state}",
            "{laptop} جيل {gen} للبيع", "لابتوب جيمنج {laptop}", "{urgent} لابتوب {laptop}"],
    lines=["المعالج {cpu} جيل {gen}.", "الرام {ram} جيجا.", "هارد SSD {ssd} جيجا.", "كرت شاشة {gpu}.",
           "الشاشة {screen} انش.", "البطارية ممتازة تدوم {hours} ساعات.", "مناسب للطلاب والمصممين.", "{state}.",
           "ويندوز 11 مفعل.", "السعر {price_text}."],
    usd=(120, 2500), syp_share=0.3, condition=(0.2, 0.8), weight=5,
    slots={"laptop": _branded(LAPTOPS), "cpu": ["core i5", "كور i7", "i3", "Core i7", "رايزن 5", "Ryzen 7", "M1"],
           "gen": _num(6, 13), "ram": ["8", "16", "32"], "ssd": ["256", "512", "1000"],
           "gpu": ["Nvidia GTX 1650", "RTX 3060", "انفيديا 2 جيجا", "مدمج انتل"], "screen": ["13.3", "14", "15.6", "17"],
           "hours": _num(2, 8)},
)
DESKTOPS = goods(["كمبيوتر مكتبي core i5", "كيس جيمنج RTX 3060", "كمبيوتر كامل مع شاشة", "شاشة كمبيوتر 24 انش",
                  "طابعة HP ليزر", "كيس i7 جيل عاشر"], (40, 1500), weight=1.5)
TVS = Profile(
    titles=["تلفزيون {tvbrand} {inch} بوصة", "شاشة {tvbrand} {inch} انش سمارت", "شاشه {inch} {tvbrand} 4K",
            "تلفزيون {inch} انش للبيع", "شاشة سمارت {inch} {state}", "Smart TV {tvbrand} {inch}"],
    lines=["سمارت مع واي فاي ويوتيوب.", "دقة 4K.", "مع الريموت والقاعدة.", "رسيفر داخلي.", "{state}.", "السعر {price_text}."],
    usd=(60, 1500), condition=(0.35, 0.65), weight=3,
    slots={"tvbrand": ["سامسونج", "Samsung", "ال جي", "إل جي", "LG", "سوني", "Sony", "TCL", "هايسنس", "شاومي"],
           "inch": ["32", "40", "43", "50", "55", "65", "75"]},
)
CAMERAS = goods(["كاميرا كانون 250D", "كاميرا Canon 80D", "نيكون D5300", "Nikon D750", "كاميرا سوني A7", "عدسة 50mm",
                 "كاميرات مراقبة 4 قطع", "GoPro Hero 10"], (40, 2500), weight=1.2)
GAMING = goods(["بلايستيشن 5", "بلاي ستيشن 4 برو", "PS5", "PS4 slim", "اكس بوكس سيريس", "Xbox One", "يد تحكم PS5",
                "نينتندو سويتش", "أشرطة ألعاب FIFA"], (15, 700), weight=2)
AUDIO = goods(["مكبرات صوت JBL", "سماعات سوني", "مكسر صوت", "أورغ ياماها", "سبيكر بلوتوث", "ميكروفون استوديو"],
              (10, 800), weight=1)
SOLAR = Profile(
    titles=["منظومة طاقة شمسية {kw} كيلو", "ألواح طاقة شمسية {watt} واط", "الواح شمسية {watt}W للبيع", "إنفرتر {inverter} {kw} كيلو",
            "انفرتر {inverter} {kw}KW", "بطارية {battery}", "بطاريات ليثيوم {amp} أمبير", "بطارية جل {amp} امبير"],
    lines=["الألواح {watt} واط.", "الإنفرتر {kw} كيلو هايبرد.", "البطارية {battery}.", "تشغل براد وغسالة وإنارة.",
           "يوجد تركيب وتوصيل.", "كفالة {months} أشهر.", "{state}.", "السعر {price_text}."],
    usd=(60, 3500), syp_share=0.4, condition=(0.5, 0.5), weight=4,
    slots={"kw": ["1.5", "3", "3.5", "5", "6", "10"], "watt": ["450", "550", "580", "600", "620"],
           "inverter": ["Growatt", "غروات", "Must", "ماست", "Deye", "هواوي"], "amp": ["100", "150", "200", "250"],
           "battery": ["ليثيوم 200 أمبير", "جل 150 أمبير", "أنبوبية 220 امبير", "ليثيوم 5 كيلو", "ليتيوم 100A"]},
)

# ---------------------------------------------------------------- appliances & home
APPL_BRANDS = ["سامسونج", "Samsung", "ال جي", "LG", "بيكو", "Beko", "ميديا", "Midea", "سيرا", "كونكورد", "أريستون", "Ariston"]
FRIDGES = Profile(
    titles=["براد {abrand} {feet} قدم", "ثلاجة {abrand} للبيع", "براد نوفروست {feet} قدم", "تلاجة {abrand} {state}",
            "برّاد {abrand} {color}", "فريزر {drawers} جوارير", "{urgent} براد {abrand}"],
    lines=["الحجم {feet} قدم.", "نوفروست.", "شغال تمام وبرودته ممتازة.", "{state}.", "يشتغل على الأمبيرات والطاقة.",
           "اللون {color}.", "السعر {price_text}."],
    usd=(80, 1200), condition=(0.3, 0.7), weight=3,
    slots={"abrand": APPL_BRANDS, "feet": ["12", "14", "16", "18", "21", "24"], "drawers": ["4", "5", "6", "7"]},
)
WASHERS = Profile(
    titles=["غسالة {abrand} {kg} كيلو", "غساله اوتوماتيك {abrand}", "غسالة حوضين {abrand}", "غسالة {abrand} {state}",
            "غسالة فول اوتوماتيك {kg} كغ"],
    lines=["السعة {kg} كيلو.", "فول أوتوماتيك.", "نشافة مع الغسالة.", "{state}.", "السعر {price_text}."],
    usd=(60, 700), condition=(0.3, 0.7), weight=2.5, slots={"abrand": APPL_BRANDS, "kg": ["6", "7", "8", "9", "10"]},
)
ACS = Profile(
    titles=["مكيف {acbrand} {ton} طن", "مكيّف سبليت {acbrand} {btu}", "مكيف انفرتر {acbrand}", "سبليت {ton} طن {state}",
            "مكيف {btu} وحدة للبيع"],
    lines=["{ton} طن.", "{btu} وحدة.", "انفرتر اقتصادي بالكهرباء.", "بارد حار.", "مع التركيب.", "{state}.", "السعر {price_text}."],
    usd=(150, 1200), condition=(0.45, 0.55), weight=2.5,
    slots={"acbrand": ["جري", "Gree", "ال جي", "LG", "ميديا", "Midea", "سامسونج", "Samsung", "كاريير"],
           "ton": ["1", "1.5", "2", "2.5"], "btu": ["12000", "18000", "24000", "18 ألف"]},
)
STOVES = goods(["غاز {burners} عيون مع فرن", "فرن غاز {abrand}", "غاز طاولة", "فرن كهربائي", "مايكرويف {abrand}",
                "غاز ٥ عيون إيطالي"], (30, 600), weight=1.5, slots={"burners": ["4", "5"], "abrand": APPL_BRANDS})
HEATERS = goods(["صوبيا مازوت", "صوبا حطب", "مدفأة مازوت", "مدفئة حطب", "مدفأة غاز", "مدفأة كهربائية", "صوبيا حطب ومازوت",
                 "شوفاج مع كازان"], (20, 500), weight=2, condition=(0.35, 0.65),
                extra_lines=["تدفي بيت كامل.", "مع البواري.", "اقتصادية بالمازوت."])
SMALL_APPL = goods(["مكنسة كهربائية", "خلاط مولينكس", "كبة كهربائية", "مكواية", "سخان ماء", "مروحة سقف", "قلاية هوائية",
                    "ماكينة قهوة", "مكنسه"], (5, 300), weight=1.5)
SOFAS = Profile(
    titles=["طقم كنب {seats} مقاعد", "كنباية {state}", "كنب زاوية للبيع", "صالون {wood} للبيع", "كنبايات عدد {n}",
            "طقم كنبايات مع طاولات", "كنبه كورنر {color}", "{urgent} صالون كامل"],
    lines=["خشب {wood}.", "القماش {color}.", "{seats} مقاعد.", "مع طاولة وسط وطاولتين جانبيات.", "تنجيد جديد.",
           "صناعة دمشقية.", "{state}.", "السعر {price_text}."],
    usd=(80, 2500), condition=(0.25, 0.75), weight=3.5,
    slots={"seats": ["3", "5", "7", "9"], "wood": ["زان", "جوز", "موسكي", "لاتيه"]},
)
BEDROOMS = goods(["غرفة نوم كاملة", "غرفه نوم ماستر", "تخت مفرد", "سرير مزدوج مع فرشة", "خزانة 6 أبواب", "غرفة نوم أطفال",
                  "تخت ٢ طابق", "تسريحة مع مراية"], (40, 2000), weight=2.5,
                 extra_lines=["خشب زان.", "مع الفرشات.", "بدون الفرشة."])
DINING = goods(["طاولة سفرة {n} كراسي", "سفرة خشب", "طاولة طعام زجاج", "طاولات مع كراسي", "بوفيه وسفرة"], (30, 1500), weight=1.2)
KITCHENS = goods(["مطبخ المنيوم", "مطبخ خشب", "خزائن مطبخ", "مجلى ستانلس", "مطبخ كامل مع رخام"], (100, 3000), weight=1)
DECOR = goods(["برادي", "ستائر", "ثريا كريستال", "نجفة", "لوحات جدارية", "مرآة حائط", "بطانيات شتوية", "فرش أرضي عربي"],
              (5, 500), weight=1.2)
CARPETS = goods(["سجادة عجمي", "سجاد ايراني", "سجاد تركي", "موكيت", "بساط يدوي", "سجادة ٣×٤"], (15, 2000), weight=1)

# ---------------------------------------------------------------- fashion, kids, animals, hobbies, books, business
MENS = goods(["جاكيت جلد", "بدلة رجالية", "طقم رسمي", "جينز", "كنزة صوف", "قميص", "جاكيت شتوي"], (5, 200), weight=1.5, condition=(0.6, 0.4))
WOMENS = goods(["فستان سهرة", "فستان عرس للبيع", "فستان خطوبة", "عباية", "مانطو", "جاكيت نسائي", "طقم نسائي"], (5, 600), weight=2,
               condition=(0.5, 0.5))
SHOES = goods(["حذاء رياضي نايك", "بوط Nike", "سنيكرز اديداس", "صندل نسائي", "كندرة جلد", "حذاء رسمي"], (5, 200), weight=1.2,
              condition=(0.6, 0.4))
BAGS = goods(["حقيبة يد", "جزدان جلد", "شنتاية سفر", "حقيبة ظهر", "شنطة مدرسية"], (3, 300), weight=1, condition=(0.6, 0.4))
JEWELRY = goods(["ساعة رولكس", "ساعة كاسيو", "Casio G-Shock", "خاتم فضة", "طقم ذهب عيار 21", "محبس ذهب", "ساعة سيكو أوتوماتيك"],
                (10, 5000), weight=1.2)
STROLLERS = goods(["عربة أطفال", "عربايه أطفال", "كرسي سيارة للأطفال", "عربة توأم", "مشاية أطفال"], (10, 300), weight=1.2)
KIDS_CLOTHES = goods(["ملابس أطفال", "طقم ولادي", "فستان بناتي", "ملابس مواليد"], (2, 60), weight=1, condition=(0.6, 0.4))
TOYS = goods(["ألعاب أطفال", "العاب اطفال", "سيارة شحن للأطفال", "دراجة أطفال", "ليغو", "بيت باربي"], (3, 300), weight=1.2)
BABY_FURN = goods(["سرير أطفال", "تخت بيبي", "كرسي طعام أطفال", "خزانة أطفال", "مهد هزاز"], (10, 500), weight=1)


def animal(items: list[str], usd: tuple[float, float], weight: float = 1.0) -> Profile:
    return Profile(
        titles=["{item} للبيع", "{item} بصحة ممتازة", "{urgent} {item}", "{item} للتبني", "{item} عمر {age}"],
        lines=["العمر {age}.", "ملقح ومعقم.", "بصحة ممتازة.", "مع القفص.", "يأكل كل شي.", "التسليم في {area}."],
        usd=usd, syp_share=0.6, no_price=0.1, condition=None, weight=weight,
        slots={"item": items, "age": ["شهرين", "3 أشهر", "6 أشهر", "سنة", "سنتين"]},
    )


BIRDS = animal(["ببغاء كاسكو", "طيور حب", "كناري مغرد", "حمام زاجل", "زوج حمام", "ببغاء دره", "طير حسون"], (5, 1500), 1.2)
CATS = animal(["قطط شيرازي", "قطة شيرازية", "قط هيمالايا", "قطط سكوتش فولد", "قطه بيضاء"], (10, 400), 1.2)
DOGS = animal(["جرو جيرمن شيبرد", "كلب جرمن", "هاسكي", "كلب لولو", "جراء روت وايلر", "كلب حراسة"], (30, 1500), 1)
LIVESTOCK = animal(["غنم عواس", "خواريف", "بقرة حلوب", "بقرة فريزيان", "ماعز شامي", "دجاج بلدي", "عجل"], (10, 3000), 1.5)
FISH = animal(["حوض سمك مع الأسماك", "أسماك زينة", "سمك جولد فيش", "حوض أسماك 100 لتر"], (5, 300), 0.6)

BIKES = goods(["بسكليت", "دراجة هوائية", "بيسكليت جبلي 26", "دراجة سباق", "بسكليت أطفال"], (20, 800), weight=1.5)
FITNESS = goods(["جهاز مشي", "تريدميل", "دمبلز", "بنش حديد", "دراجة ثابتة", "أوزان حديد"], (10, 1500), weight=1)
INSTRUMENTS = goods(["عود", "عود نحاس", "غيتار", "جيتار كلاسيك", "بيانو", "أورغ", "كمان", "طبلة", "بزق"], (20, 3000), weight=1)
CAMPING = goods(["خيمة رحلات", "عدة تخييم", "غاز سفري", "عدة صيد سمك", "بندقية صيد خرطوش"], (5, 800), weight=0.8)
COLLECTIBLES = goods(["عملات قديمة", "طوابع قديمة", "صندوق صدف دمشقي", "تحف نحاسية", "راديو قديم", "ساعة جيب قديمة"],
                     (5, 2000), weight=0.8, condition=(0.0, 1.0))
BOOKS = goods(["كتب روايات", "موسوعة", "مجموعة كتب إسلامية", "روايات نجيب محفوظ", "كتب تنمية بشرية"], (1, 100), weight=0.8)
TEXTBOOKS = goods(["كتب بكالوريا علمي", "نوط بكالوريا", "كتب طب سنة أولى", "كتب هندسة", "ملخصات تاسع"], (1, 60), weight=1)
STATIONERY = goods(["قرطاسية", "دفاتر وأقلام", "حقائب مدرسية", "آلة حاسبة علمية"], (1, 50), weight=0.6, condition=(0.8, 0.2))
INDUSTRIAL = goods(["مولدة كهرباء {kva} KVA", "مولدة ديزل", "مكنة خياطة صناعية", "مكنة نجارة", "كمبريسة هواء", "مكنة لحام"],
                   (100, 30000), weight=1.5, slots={"kva": ["5", "10", "30", "100", "250"]})
RESTAURANT = goods(["فرن بيتزا", "براد عرض", "شواية فلافل", "مكنة شاورما", "طاولات وكراسي مطعم", "مكنة اسبريسو"],
                   (50, 8000), weight=1)
AGRICULTURE = goods(["مضخة مياه", "غطاس 10 حصان", "شبكة ري بالتنقيط", "بذور", "شتول زيتون", "حراثة", "بيوت بلاستيكية"],
                    (10, 6000), weight=1)

# ---------------------------------------------------------------- jobs & services
JOB_TITLES: dict[str, list[str]] = {
    "jobs-sales": ["مندوب مبيعات", "مندوبة مبيعات", "بائع في محل ألبسة", "موظفة مبيعات", "مسوق إلكتروني"],
    "jobs-it": ["مبرمج PHP", "مطور Flutter", "مبرمج ويب", "مصمم جرافيك", "فني شبكات", "مطور Python"],
    "jobs-education": ["مدرس رياضيات", "مدرسة لغة إنكليزية", "معلمة روضة", "مدرس فيزياء", "آنسة صف أول"],
    "jobs-drivers": ["سائق فئة عامة", "شوفير تكسي", "سائق توصيل طلبات", "سائق شاحنة", "موظف دليفري مع موتور"],
    "jobs-crafts": ["نجار", "حداد", "كهربائي", "معلم سيراميك", "دهان", "خياط", "عامل مياومة"],
    "jobs-restaurants": ["شيف شاورما", "معلم فلافل", "نادل", "كاشير", "معلم حلويات", "عامل مطبخ"],
    "jobs-admin": ["محاسب", "محاسبة", "سكرتيرة", "موظف إداري", "مدخل بيانات", "موظف موارد بشرية"],
}
JOB_CLOSING = ("للتواصل واتس فقط.", "للتواصل اتصال أو واتساب.", "الرجاء الجدية فقط.", "للاستفسار على الخاص.",
               "الله يوفق الجميع.", "المقابلة في {area}.")
JOB_LINES = ["الدوام من 9 الصبح لـ 5 المسا.", "دوام كامل.", "دوام جزئي.", "خبرة لا تقل عن {years_exp} سنوات.",
             "الراتب حسب الخبرة.", "الراتب {price_text} شهرياً.", "يفضل من سكان {area}.", "إرسال السيرة الذاتية على الواتس.",
             "مواصلات مؤمنة.", "يوجد تأمين صحي.", "العمر بين 20 و35.", "إجادة اللغة الإنكليزية."]


def job(slug: str, weight: float) -> Profile:
    return Profile(
        titles=["مطلوب {job}", "مطلوب {job} للعمل في {area}", "فرصة عمل: {job}", "شركة بحاجة إلى {job}",
                "مطلوب {job} بخبرة", "مطلوب {job} براتب ممتاز", "وظيفة {job} في {area}"],
        lines=JOB_LINES, usd=(100, 700), syp_share=0.55, no_price=0.45, condition=None, negotiable=0.2,
        weight=weight, images=(80, 15, 5, 0, 0), closing=JOB_CLOSING, slots={"job": JOB_TITLES[slug]},
    )


JOBS_WANTED = Profile(
    titles=["أبحث عن عمل {job}", "{job} يبحث عن عمل", "ابحث عن عمل في {area}", "خريج {degree} يبحث عن وظيفة",
            "طالب جامعي يبحث عن عمل جزئي"],
    lines=["خبرة {years_exp} سنوات.", "جاهز للعمل فوراً.", "أجيد استخدام الكمبيوتر.", "أسكن في {area}.", "الراتب حسب الاتفاق."],
    usd=(100, 600), syp_share=0.5, no_price=0.6, condition=None, negotiable=0.3, weight=1.5, images=(90, 10, 0, 0, 0),
    closing=JOB_CLOSING,
    slots={"job": ["محاسب", "سائق", "مدرس", "كهربائي", "مبرمج", "مندوب"], "degree": ["اقتصاد", "هندسة معلوماتية", "أدب إنكليزي", "حقوق"]},
)


def service(titles: list[str], lines: list[str], usd: tuple[float, float], weight: float) -> Profile:
    return Profile(titles=titles, lines=[*lines, "خبرة {years_exp} سنة.", "أسعار منافسة.", "نخدم كل مناطق {area}.",
                                          "متوفرين 24 ساعة."],
                   usd=usd, syp_share=0.6, no_price=0.5, condition=None, negotiable=0.5, weight=weight,
                   images=(50, 25, 15, 5, 5), closing=JOB_CLOSING)


SERVICES: dict[str, Profile] = {
    "moving": service(["نقل عفش داخل وخارج {area}", "نقل أثاث مع فك وتركيب", "سوزوكي لنقل العفش", "نقل اثاث بأسعار منافسة"],
                      ["فك وتركيب غرف النوم والمطابخ.", "عمال ذوي خبرة.", "تغليف بالنايلون."], (10, 300), 1.5),
    "repair": service(["صيانة برادات وغسالات", "تصليح موبايلات", "صيانة مكيفات وتعبئة غاز", "صيانة لابتوبات وكمبيوترات",
                       "تصليح شاشات", "صيانة طاقة شمسية وانفرترات"], ["كشف مجاني.", "كفالة على التصليح.", "قطع أصلية."], (5, 150), 2),
    "construction": service(["معلم دهان وديكور", "تمديدات صحية وكهربائية", "معلم بلاط وسيراميك", "ترميم بيوت", "عزل أسطح",
                             "جبصين بورد وديكور"], ["دهان بلاستيك وزيتي.", "مواد على حساب الزبون.", "سعر المتر حسب الشغل."], (5, 5000), 2),
    "tutoring": service(["مدرس رياضيات لطلاب البكالوريا", "دروس خصوصية إنكليزي", "أستاذ فيزياء وكيمياء", "دروس قرآن وتجويد",
                         "مدرسة لغة فرنسية", "دورات برمجة للمبتدئين"], ["أونلاين أو حضوري.", "نتائج مضمونة.", "الدرس ساعة ونص."],
                        (3, 30), 1.5),
    "events": service(["تنظيم حفلات أعراس", "تصوير أعراس وحفلات", "دي جي للحفلات", "ضيافة ومناسبات", "فرقة عراضة شامية"],
                      ["حجوزات للصيف.", "أسعار خاصة للطلاب."], (50, 2000), 0.8),
    "cleaning": service(["تنظيف منازل ومكاتب", "غسيل سجاد وموكيت", "تنظيف خزانات مياه", "تعقيم وإبادة حشرات"],
                        ["مواد تنظيف ممتازة.", "فريق نسائي متوفر."], (10, 200), 0.8),
}

# ---------------------------------------------------------------- the map
PROFILES: dict[str, Profile] = {
    "cars": CARS, "motorcycles": MOTOS, "trucks": TRUCKS, "buses-vans": BUSES, "car-parts": CAR_PARTS,
    "car-accessories": CAR_ACCESSORIES,
    "apartments-for-sale": APARTMENTS_SALE, "apartments-for-rent": APARTMENTS_RENT, "houses-villas": HOUSES,
    "land": LAND, "shops-offices": SHOPS, "farms-chalets": FARMS, "rooms-shared": ROOMS,
    "mobile-phones": MOBILES, "tablets": TABLETS, "smart-watches": WATCHES_SMART, "mobile-accessories": MOBILE_ACC,
    "laptops": LAPTOPS_P, "desktops": DESKTOPS, "tvs": TVS, "cameras": CAMERAS, "gaming": GAMING, "audio": AUDIO,
    "solar-energy": SOLAR,
    "fridges": FRIDGES, "washing-machines": WASHERS, "air-conditioners": ACS, "stoves-ovens": STOVES,
    "heaters": HEATERS, "small-appliances": SMALL_APPL,
    "bedrooms": BEDROOMS, "living-rooms": SOFAS, "dining-tables": DINING, "kitchens": KITCHENS,
    "home-decor": DECOR, "carpets": CARPETS,
    "mens-clothing": MENS, "womens-clothing": WOMENS, "shoes": SHOES, "bags": BAGS, "watches-jewelry": JEWELRY,
    **{slug: job(slug, 1.5 if slug in ("jobs-sales", "jobs-drivers", "jobs-crafts") else 1.0) for slug in JOB_TITLES},
    "jobs-wanted": JOBS_WANTED,
    **SERVICES,
    "strollers": STROLLERS, "kids-clothing": KIDS_CLOTHES, "toys": TOYS, "baby-furniture": BABY_FURN,
    "birds": BIRDS, "cats": CATS, "dogs": DOGS, "livestock": LIVESTOCK, "fish": FISH,
    "bicycles": BIKES, "fitness": FITNESS, "musical-instruments": INSTRUMENTS, "camping": CAMPING,
    "collectibles": COLLECTIBLES,
    "books": BOOKS, "textbooks": TEXTBOOKS, "stationery": STATIONERY,
    "industrial-equipment": INDUSTRIAL, "restaurant-equipment": RESTAURANT, "agriculture": AGRICULTURE,
}


def fallback_profile(name_ar: str) -> Profile:
    """For a leaf category without a hand-written profile: its own name as the item."""
    return goods([name_ar, f"{name_ar} مستعمل", f"{name_ar} جديد"], (5, 500))
