"""The words of the demo: centres, cooperatives, producers and their listings.

The Persian is written the way people type it: most with the zero-width non-joiner
(«دست‌باف»), some without («دستباف»), and a few with the Arabic letters ي and ك that Arabic
keyboards produce. Prices are in rials (the shop's minor unit for IRR; 10 rials = 1 toman).
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class CentreText:
    key: str
    name: str
    city: str
    neighbourhood: str
    description: str


@dataclass(frozen=True)
class CooperativeText:
    key: str
    name: str
    city: str
    neighbourhood: str
    tagline: str
    story: str
    commission_bp: int
    is_verified: bool
    manager_email: str
    manager_name: str
    color_primary: str
    color_secondary: str
    #: The category slug whose emblem the logo and banner show.
    craft: str


@dataclass(frozen=True)
class ProducerText:
    email: str
    owner_name: str
    shop_name: str
    city: str
    neighbourhood: str
    centre: str | None
    cooperative: str | None
    tagline: str = ""
    story: str = ""
    color_primary: str = "#7a3e2b"
    color_secondary: str = "#f4e1c1"
    craft: str = "other-handicrafts"


@dataclass(frozen=True)
class ListingText:
    producer: str
    category: str
    title: str
    description: str
    #: In rials.
    price: int
    stock: int = 0
    #: Set for made-to-order pieces (their stock is 0).
    lead_time_days: int | None = None
    materials: str = ""
    dimensions: str = ""
    weight_grams: int | None = None
    photos: int = 2
    #: Which drawing of the category to use (see ``pictures.DRAWINGS``).
    picture: str | None = None
    is_featured: bool = False
    is_markdown: bool = False
    #: Up to two kinds of option and their values, e.g. (("اندازه", ("S", "M")),).
    options: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Stock and own price (None: the listing's) of each combination, by its label ("S · آبی").
    variants: dict[str, tuple[int, int | None]] = field(default_factory=dict)


ADMIN_NAME = "مدیر سامانه دسترنج"
BUYER_NAME = "علی محمدی"

CENTRES: list[CentreText] = [
    CentreText(
        "talab",
        "مرکز رویش طلاب",
        "مشهد",
        "طلاب",
        "یکی از مراکز رویش شهرداری مشهد در محله طلاب. بانوان محله در این مرکز قالی‌بافی، "
        "چرم‌دوزی و خیاطی می‌آموزند؛ پیشران‌های مرکز مواد اولیه را رایگان در اختیارشان "
        "می‌گذارند و محصول را از آن‌ها می‌خرند.",
    ),
    CentreText(
        "ghaleh-sakhteman",
        "مرکز رویش قلعه‌ساختمان",
        "مشهد",
        "قلعه‌ساختمان",
        "مرکز رویش قلعه‌ساختمان در سال ۱۴۰۱ راه افتاد و بیشتر روی تابلوفرش و گلیم کار می‌کند. "
        "کلاس‌ها صبح‌ها برگزار می‌شود تا مادران بعد از رفتن بچه‌ها به مدرسه بتوانند شرکت کنند.",
    ),
    CentreText(
        "golshahr",
        "مرکز رویش گلشهر",
        "مشهد",
        "گلشهر",
        "در گلشهر، هنرجویان گلیم‌بافی، فرت‌بافی و ساخت زیورآلات رزینی یاد می‌گیرند. این مرکز "
        "فقط به ساکنان همین محله خدمت می‌دهد و هر فصل نمایشگاه کوچکی از کار هنرجویان برپا "
        "می‌کند.",
    ),
    CentreText(
        "bushehr",
        "مرکز مشاغل خانگی بهمنی",
        "بوشهر",
        "بهمنی",
        "این مرکز در طرح ساماندهی مشاغل خانگی استان بوشهر، به بانوان محله بهمنی و محله‌های "
        "اطراف سوزن‌دوزی بوشهری، حصیربافی با برگ نخل و گلیم‌بافی آموزش می‌دهد.",
    ),
    CentreText(
        "isfahan-12",
        "بازارچه و مرکز آموزش مشاغل خانگی منطقه ۱۲",
        "اصفهان",
        "منطقه ۱۲",
        "بازارچه محلی منطقه ۱۲ شهرداری اصفهان محصولات خانگی ساکنان منطقه را به نمایش می‌گذارد "
        "و می‌فروشد. کارگاه‌های قالی‌بافی، سفالگری و رزین هم در همین مرکز برگزار می‌شود.",
    ),
    CentreText(
        "tehran-13",
        "مرکز آموزش مهارت منطقه ۱۳",
        "تهران",
        "منطقه ۱۳",
        "کسب‌وکارهای خانگی منطقه ۱۳ تهران با کمک خیّران راه افتاده‌اند. آموزش‌ها با همکاری "
        "سازمان آموزش فنی و حرفه‌ای برگزار می‌شود و هنرجویان می‌توانند گواهی مهارت بگیرند.",
    ),
]

COOPERATIVES: list[CooperativeText] = [
    CooperativeText(
        key="mashhad",
        name="تعاونی بانوان کارآفرین رویش",
        city="مشهد",
        neighbourhood="طلاب",
        tagline="دسترنج محله‌های مشهد، بی‌واسطه به دست شما",
        story=(
            "تعاونی بانوان کارآفرین رویش را گروهی از پیشران‌های مراکز رویش مشهد تشکیل داده‌اند. "
            "ما مواد اولیه را عمده می‌خریم، کیفیت کار اعضا را پیش از ارسال بازبینی می‌کنیم و "
            "فروش را از دوش تولیدکننده برمی‌داریم تا او فقط به بافتن و دوختن فکر کند.\n\n"
            "بیشتر اعضای تعاونی سرپرست خانوارند و درآمدشان را از همین کار به دست می‌آورند."
        ),
        commission_bp=300,
        is_verified=True,
        manager_email="manager@dastranj.test",
        manager_name="نسرین رحیمی",
        color_primary="#7a3e2b",
        color_secondary="#e9c46a",
        craft="hand-woven-carpet",
    ),
    CooperativeText(
        key="bushehr",
        name="تعاونی مشاغل خانگی نخل و دریا",
        city="بوشهر",
        neighbourhood="بهمنی",
        tagline="سوزن‌دوزی و حصیربافی بوشهر، از خانه‌های کنار دریا",
        story=(
            "این تعاونی در طرح حمایت از مشاغل خانگی استان بوشهر ثبت شده و برای برندسازی از "
            "یارانه ۶۰ درصدی استان استفاده کرده است. اعضا در خانه کار می‌کنند و تعاونی "
            "بسته‌بندی، عکاسی و ارسال سفارش‌ها را انجام می‌دهد."
        ),
        commission_bp=250,
        is_verified=True,
        manager_email="manager2@dastranj.test",
        manager_name="حمیده خلیلی",
        color_primary="#0f5e6e",
        color_secondary="#f4c95d",
        craft="garments",
    ),
    CooperativeText(
        key="isfahan",
        name="تعاونی هنرهای خانگی زاینده‌رود",
        city="اصفهان",
        neighbourhood="منطقه ۱۲",
        tagline="از بازارچه منطقه ۱۲ اصفهان تا خانه شما",
        story=(
            "اعضای این تعاونی زنان سرپرست خانوار منطقه ۱۲ اصفهان‌اند که کارهایشان را در "
            "بازارچه محلی و نمایشگاه‌های شهری عرضه می‌کردند. حالا همان قالیچه‌ها و سفال‌ها را "
            "آنلاین هم می‌فروشند."
        ),
        commission_bp=300,
        is_verified=False,
        manager_email="manager3@dastranj.test",
        manager_name="پروین صالحی",
        color_primary="#1f4e5f",
        color_secondary="#e0b15a",
        craft="other-handicrafts",
    ),
]

PRODUCERS: list[ProducerText] = [
    ProducerText(
        email="producer@dastranj.test",
        owner_name="فاطمه رضایی",
        shop_name="قالی ترنج",
        city="مشهد",
        neighbourhood="طلاب",
        centre="talab",
        cooperative="mashhad",
        tagline="قالیچه‌هایی که گره‌به‌گره در خانه بافته می‌شوند",
        story=(
            "از دوازده‌سالگی پای دار قالی مادرم نشستم. در مرکز رویش طلاب نقشه‌خوانی و رنگرزی "
            "گیاهی یاد گرفتم و حالا با دو دخترم در خانه قالیچه و تابلوفرش می‌بافیم.\n\n"
            "پشم را از عشایر اطراف مشهد می‌خریم و خودمان با روناس، پوست انار و اسپرک رنگ می‌کنیم."
        ),
        color_primary="#8c2f39",
        color_secondary="#e9c46a",
        craft="hand-woven-carpet",
    ),
    ProducerText(
        email="producer2@dastranj.test",
        owner_name="مهتاب حسینی",
        shop_name="گلیم‌سرای مهتاب",
        city="مشهد",
        neighbourhood="گلشهر",
        centre="golshahr",
        cooperative="mashhad",
        tagline="گلیم و فرت، با رنگ‌های شاد خراسان",
        story=(
            "گلیم‌بافی را در کلاس‌های مرکز رویش گلشهر یاد گرفتم و بعد از دو سال خودم مربی شدم. "
            "هر گلیم را روی دار افقی و با پشم دستریس می‌بافم؛ نقش‌ها از گلیم‌های قدیمی خراسان و "
            "ترکمن گرفته شده‌اند."
        ),
        color_primary="#1a467b",
        color_secondary="#f2a541",
        craft="kilim",
    ),
    ProducerText(
        email="producer3@dastranj.test",
        owner_name="زهرا نوروزی",
        shop_name="تابلوفرش نقش‌آفرین",
        city="مشهد",
        neighbourhood="قلعه‌ساختمان",
        centre="ghaleh-sakhteman",
        cooperative="mashhad",
        tagline="تابلوفرش‌های ابریشمی برای دیوار خانه‌تان",
        story=(
            "تابلوفرش را از روی نقشه‌های خودم می‌بافم: منظره، گل و گلدان، و گاهی تصویری که "
            "مشتری فرستاده. هر تابلو بین یک تا چهار ماه کار می‌برد و با قاب چوبی ارسال می‌شود."
        ),
        color_primary="#2a5448",
        color_secondary="#dcba7c",
        craft="tableau-rug",
    ),
    ProducerText(
        email="producer4@dastranj.test",
        owner_name="سمیه کاظمی",
        shop_name="چرم آوا",
        city="مشهد",
        neighbourhood="طلاب",
        centre="talab",
        cooperative="mashhad",
        tagline="چرم طبیعی، دوخت دست، ساده و ماندگار",
        story=(
            "چرم‌دوزی را در مرکز رویش طلاب شروع کردم؛ اول برای فامیل کیف پول می‌دوختم و حالا از "
            "شهرهای دیگر هم سفارش می‌گیرم. همه کارها با نخ موم‌دار و دوخت زین‌دوزی (دوسوزنه) "
            "دوخته می‌شوند تا سال‌ها دوام بیاورند."
        ),
        color_primary="#6b3e26",
        color_secondary="#d4b592",
        craft="leather",
    ),
    ProducerText(
        email="producer5@dastranj.test",
        owner_name="نرگس امیری",
        shop_name="رزین شب‌تاب",
        city="مشهد",
        neighbourhood="گلشهر",
        centre="golshahr",
        cooperative=None,
        tagline="گل‌های واقعی، ماندگار در رزین",
        story=(
            "بابونه، فراموشم‌نکن و گل محمدی را خودم خشک می‌کنم و در رزین شفاف قالب می‌گیرم. "
            "هیچ دو گوشواره‌ای دقیقاً شبیه هم نیست."
        ),
        color_primary="#5b2a86",
        color_secondary="#7ad0c3",
        craft="resin-crafts",
    ),
    ProducerText(
        email="producer6@dastranj.test",
        owner_name="مریم دشتی",
        shop_name="سوزن‌دوزی نخل",
        city="بوشهر",
        neighbourhood="بهمنی",
        centre="bushehr",
        cooperative="bushehr",
        tagline="سوزن‌دوزی و گلابتون‌دوزی اصیل بوشهری",
        story=(
            "سوزن‌دوزی را از مادربزرگم یاد گرفتم؛ همان نقش‌هایی که زنان بوشهر روی پیراهن‌های "
            "محلی می‌دوختند. حالا با همان نقش‌ها لباس‌هایی می‌دوزم که در شهر هم بشود پوشید."
        ),
        color_primary="#0a4d4d",
        color_secondary="#f4a259",
        craft="garments",
    ),
    ProducerText(
        email="producer7@dastranj.test",
        owner_name="خدیجه بحرینی",
        shop_name="حصیر دریا",
        city="بوشهر",
        neighbourhood="جفره",
        centre="bushehr",
        cooperative="bushehr",
        tagline="سبد و زیرانداز از برگ نخل، مثل قدیم",
        story=(
            "در خانواده ما حصیربافی نسل‌به‌نسل رسیده است. برگ نخل را از نخلستان‌های اطراف بوشهر "
            "می‌گیریم، در آفتاب خشک می‌کنیم و با نوارهای رنگی می‌بافیم. سفال هم می‌سازیم."
        ),
        color_primary="#7a4e12",
        color_secondary="#e8d8b0",
        craft="other-handicrafts",
    ),
    ProducerText(
        email="producer8@dastranj.test",
        owner_name="لیلا تنگستانی",
        shop_name="گلیم جنوب",
        city="بوشهر",
        neighbourhood="کوتی",
        centre="bushehr",
        cooperative="bushehr",
        tagline="گلیم و جاجیم با نقش‌های جنوب",
        story=(
            "نقش‌های لوزی و شانه‌ای گلیم‌های ما از دستبافته‌های عشایر تنگستان آمده‌اند. کنار "
            "گلیم، روسری و شال هم با حاشیه سوزن‌دوزی می‌دوزم."
        ),
        color_primary="#a23b2a",
        color_secondary="#f6d186",
        craft="kilim",
    ),
    ProducerText(
        email="producer9@dastranj.test",
        owner_name="اعظم صادقی",
        shop_name="قالیچه نقش جهان",
        city="اصفهان",
        neighbourhood="منطقه ۱۲",
        centre="isfahan-12",
        cooperative="isfahan",
        tagline="ریزبافت اصفهان، با حوصله و ظرافت",
        story=(
            "بیست سال است قالی می‌بافم و نقشه‌های اصفهان را از بَرم. در بازارچه منطقه ۱۲ با "
            "مشتری‌ها آشنا شدم و حالا سفارش فرش در اندازه دلخواه هم می‌پذیرم."
        ),
        color_primary="#1f3a5f",
        color_secondary="#c8a951",
        craft="hand-woven-carpet",
    ),
    ProducerText(
        email="producer10@dastranj.test",
        owner_name="رقیه مرادی",
        shop_name="سفال و رزین زاینده",
        city="اصفهان",
        neighbourhood="منطقه ۱۲",
        centre="isfahan-12",
        cooperative="isfahan",
        tagline="سفال لعابی، میناکاری و رزین، ساخت اصفهان",
        story=(
            "من و خواهرم کارگاه کوچکی در زیرزمین خانه داریم: او سفال می‌سازد و من لعاب و نقش "
            "می‌زنم. از پارسال ساعت و زیورآلات رزینی هم به کارهایمان اضافه کرده‌ایم."
        ),
        color_primary="#006457",
        color_secondary="#ffcc80",
        craft="resin-crafts",
    ),
    ProducerText(
        email="producer11@dastranj.test",
        owner_name="شیرین احمدی",
        shop_name="چرم و دوخت شیرین",
        city="تهران",
        neighbourhood="پیروزی",
        centre="tehran-13",
        cooperative=None,
        tagline="کیف چرمی و لباس دوخت سفارشی از منطقه ۱۳",
        story=(
            "کارگاه خانگی‌ام را با کمک یک خیّر و یک چرخ خیاطی راه انداختم. دوره‌های خیاطی و "
            "چرم‌دوزی فنی و حرفه‌ای را گذراندم و گواهی مهارت دارم."
        ),
        color_primary="#3e2723",
        color_secondary="#d7ccc8",
        craft="leather",
    ),
    ProducerText(
        email="producer12@dastranj.test",
        owner_name="سارا کریمی",
        shop_name="فرت‌بافی مهرآفرین",
        city="تهران",
        neighbourhood="نیروی هوایی",
        centre="tehran-13",
        cooperative=None,
        tagline="فرت‌بافی رنگارنگ برای خانه و هدیه",
        story=(
            "فرت‌بافی را در فرهنگسرای محله یاد گرفتم. کیف، زیرلیوانی و رومیزی می‌بافم و عروسک "
            "نمدی هم می‌دوزم؛ بیشتر مشتری‌هایم دنبال هدیه‌ای دست‌ساز هستند.\n\n"
            "I also take orders from abroad: write to me in English if you like."
        ),
        color_primary="#b5174e",
        color_secondary="#ffe082",
        craft="fret-weaving",
    ),
]

#: Someone who has applied to open a shop and waits for an admin (with a skills certificate).
APPLICANT = ProducerText(
    email="producer13@dastranj.test",
    owner_name="نگین فروغی",
    shop_name="معرق چوب نگین",
    city="اصفهان",
    neighbourhood="منطقه ۱۲",
    centre="isfahan-12",
    cooperative=None,
)

#: An approved producer outside any cooperative who has asked to join one: (e-mail, cooperative).
MEMBERSHIP_REQUEST = ("producer5@dastranj.test", "mashhad")

P1, P2, P3, P4, P5, P6, P7, P8, P9, P10, P11, P12 = (p.email for p in PRODUCERS)

LISTINGS: list[ListingText] = [
    # --- hand-woven carpets ----------------------------------------------------------------
    ListingText(
        P1,
        "hand-woven-carpet",
        "قالیچه دست‌باف طرح لچک‌ترنج، ۱۵۰ در ۱۰۰",
        "این قالیچه را روی دار عمودی در خانه و در حدود پنج ماه بافته‌ام. گره فارسی "
        "(نامتقارن)، رج‌شمار ۴۰، پشم دستریس که با روناس و پوست انار رنگرزی شده است.\n\n"
        "قبل از ارسال شسته و پرداخت می‌شود و شناسنامه فرش همراهش است.",
        180_000_000,
        stock=1,
        materials="پشم دستریس، رنگ گیاهی، چله پنبه‌ای",
        dimensions="۱۵۰ × ۱۰۰ سانتی‌متر",
        weight_grams=4200,
        photos=3,
        picture="medallion",
        is_featured=True,
    ),
    ListingText(
        P1,
        "hand-woven-carpet",
        "فرش دستباف ۶ متری کرک و ابریشم طرح شاه‌عباسی",
        "سفارشی بافته می‌شود: نقشه شاه‌عباسی افشان با گل‌های ابریشمی روی زمینه کرم یا لاکی، "
        "به انتخاب شما. زمان بافت حدود پنج ماه است و در این مدت عکس پیشرفت کار را برایتان "
        "می‌فرستم.\n\nاندازه دقیق را هنگام سفارش بنویسید (تا ۲ در ۳ متر).",
        650_000_000,
        lead_time_days=150,
        materials="کرک، ابریشم طبیعی، چله ابریشم",
        dimensions="۳۰۰ × ۲۰۰ سانتی‌متر",
        weight_grams=14_000,
        photos=2,
        picture="allover",
    ),
    ListingText(
        P9,
        "hand-woven-carpet",
        "قالیچه ذرعی هراتی، پشم و رنگ طبیعی",
        "قالیچه ذرعی با نقش ماهی‌درهم (هراتی) روی زمینه سرمه‌ای؛ مناسب جلوی مبل یا اتاق خواب. "
        "رج‌شمار ۳۵.",
        120_000_000,
        stock=1,
        materials="پشم، رنگ طبیعی، چله پنبه",
        dimensions="۱۰۴ × ۱۵۲ سانتی‌متر",
        weight_grams=3800,
        photos=2,
        picture="allover",
    ),
    ListingText(
        P1,
        "hand-woven-carpet",
        "پادری دستباف گره‌ای طرح گل‌فرنگ",
        "پادری کوچک با نقش گل‌فرنگ، بافته‌شده با پشم‌های باقی‌مانده از قالی‌های بزرگ؛ محکم و "
        "قابل شست‌وشو با آب سرد.",
        38_000_000,
        stock=2,
        materials="پشم، چله پنبه‌ای",
        dimensions="60 × 90 cm",
        weight_grams=1400,
        photos=2,
        picture="medallion",
    ),
    ListingText(
        P9,
        "hand-woven-carpet",
        "قالیچه اصفهان ریزبافت نقشه شیخ صفی",
        "نقشه شیخ صفی، برگرفته از قالی معروف اردبیل، با کرک و گل ابریشم. رج‌شمار ۶۰؛ بافت این "
        "قالیچه یک سال طول کشیده است. فقط یک عدد موجود است.",
        420_000_000,
        stock=1,
        materials="کرک، ابریشم، چله ابریشم",
        dimensions="۱۵۰ × ۲۲۵ سانتی‌متر",
        weight_grams=5000,
        photos=3,
        picture="medallion",
    ),
    ListingText(
        P9,
        "hand-woven-carpet",
        "فرش دستبافت 2 در 3 متر طرح ماهی درهم",
        "سفارش بافت با رنگ‌بندی دلخواه: زمینه سرمه‌ای، لاکی یا کرم. زمان تحویل حدودا ۴ ماه.\n"
        "برای مشاوره رنگ پیش از سفارش پیام بدهید.",
        380_000_000,
        lead_time_days=120,
        materials="پشم مرینوس، چله پنبه",
        dimensions="۲۰۰ × ۳۰۰ سانتی‌متر",
        weight_grams=12_000,
        photos=1,
        picture="allover",
    ),
    ListingText(
        P9,
        "hand-woven-carpet",
        "Hand-knotted wool runner, 80 × 250 cm",
        "A long runner for a hallway, knotted by hand in Isfahan with wool dyed in madder red "
        "and indigo. About 35 knots per row; the edges are overcast by hand.\n\n"
        "Ships rolled, within three working days.",
        210_000_000,
        stock=1,
        materials="Wool, cotton warp",
        dimensions="80 × 250 cm",
        weight_grams=4600,
        photos=2,
        picture="medallion",
    ),
    ListingText(
        P1,
        "hand-woven-carpet",
        "قاليچه دستباف طرح محرمات ۱ در ۱.۵",
        "نقش محرمات (راه‌راه) با رنگ‌های گرم؛ ساده و خوش‌نشین برای خانه‌های امروزی. پشم دستریس "
        "و رنگ گیاهي.",
        95_000_000,
        stock=1,
        materials="پشم دستریس، رنگ گیاهی",
        dimensions="۱۰۰ × ۱۵۰ سانتی‌متر",
        weight_grams=3500,
        photos=2,
        picture="allover",
    ),
    # --- tableau rugs ----------------------------------------------------------------------
    ListingText(
        P3,
        "tableau-rug",
        "تابلوفرش حرم امام رضا (ع)، ۵۰ در ۷۰",
        "تابلوفرش گنبد و گلدسته‌های حرم مطهر، بافته‌شده با ابریشم و پشم ریز. با قاب چوبی و "
        "شیشه ارسال می‌شود.\n\nهدیه‌ای ماندگار برای زائران و خانواده.",
        85_000_000,
        stock=2,
        materials="ابریشم، پشم، قاب چوب گردو",
        dimensions="۵۰ × ۷۰ سانتی‌متر (با قاب ۶۴ × ۸۴)",
        weight_grams=2200,
        photos=3,
        picture="shrine",
        is_featured=True,
    ),
    ListingText(
        P3,
        "tableau-rug",
        "تابلو فرش منظره پاییز",
        "منظره‌ای از درختان پاییزی کنار کوه؛ رنگ‌های نارنجی و طلایی که زیر نور عصر می‌درخشند. "
        "ابعاد بدون قاب ۴۰ در ۶۰.",
        45_000_000,
        stock=3,
        materials="پشم، ابریشم مصنوعی، قاب چوبی",
        dimensions="40 × 60 سانتی‌متر",
        weight_grams=1500,
        photos=2,
        picture="landscape",
    ),
    ListingText(
        P3,
        "tableau-rug",
        "تابلوفرش گل و گلدان با نام دلخواه شما",
        "نقش گلدان گل روی زمینه مشکی، با نام یا تاریخ دلخواه شما در حاشیه پایین. بعد از "
        "سفارش، نقشه را برای تأیید برایتان می‌فرستم.",
        60_000_000,
        lead_time_days=60,
        materials="پشم، ابریشم",
        dimensions="۴۵ × ۶۰ سانتی‌متر",
        weight_grams=1700,
        photos=2,
        picture="flowers",
    ),
    ListingText(
        P1,
        "tableau-rug",
        "تابلوفرش ابریشمی وان‌یکاد",
        "آیه وان‌یکاد با گل‌های ریز در حاشیه، بافته‌شده با ابریشم طبیعی. برای سردر ورودی خانه "
        "یا هدیه عروسی.",
        52_000_000,
        stock=2,
        materials="ابریشم طبیعی، قاب خاتم",
        dimensions="۳۵ × ۵۰ سانتی‌متر",
        weight_grams=1200,
        photos=2,
        picture="flowers",
    ),
    ListingText(
        P3,
        "tableau-rug",
        "تابلو فرش دستباف طرح آبشار – قاب‌شده",
        "آبشار و جنگل در بهار، با بیش از ۴۰ رنگ نخ. قاب چوبی و شیشه ضدانعکاس دارد و آماده نصب است.",
        70_000_000,
        stock=1,
        materials="پشم، ابریشم، قاب چوبی",
        dimensions="۶۰ × ۸۰ سانتی‌متر",
        weight_grams=2800,
        photos=2,
        picture="landscape",
    ),
    ListingText(
        P3,
        "tableau-rug",
        "تابلوفرش كودكانه طرح آهو",
        "تابلوی کوچک آهو و درخت برای اتاق کودک، با رنگ‌های روشن و شاد. پشت تابلو آویز فلزی دارد.",
        28_000_000,
        stock=4,
        materials="پشم، قاب چوب کاج",
        dimensions="۳۰ × ۴۰ سانتی‌متر",
        weight_grams=900,
        photos=1,
        picture="landscape",
    ),
    ListingText(
        P9,
        "tableau-rug",
        "Silk tableau rug – Naqsh-e Jahan Square, framed",
        "Naqsh-e Jahan Square and the Shah Mosque at dusk, woven in silk and fine wool. Sold in "
        "a carved walnut frame behind glass, ready to hang.",
        140_000_000,
        stock=1,
        materials="Silk, wool, walnut frame",
        dimensions="60 × 80 cm (framed)",
        weight_grams=3000,
        photos=3,
        picture="shrine",
    ),
    # --- kilims ----------------------------------------------------------------------------
    ListingText(
        P2,
        "kilim",
        "گلیم دستباف کوچک ۶۰ در ۹۰ سانتی",
        "گلیم کوچک با نقش لوزی، مناسب کنار تخت یا جلوی در. دورو است و هر دو طرفش قابل "
        "استفاده است. با آب سرد و صابون بی‌رنگ شسته شود.",
        25_000_000,
        stock=5,
        materials="پشم، چله پنبه",
        dimensions="۶۰ × ۹۰ سانتی‌متر",
        weight_grams=1300,
        photos=3,
        is_featured=True,
    ),
    ListingText(
        P2,
        "kilim",
        "گلیم دورو قشقایی ۲ در ۳ متر",
        "گلیم بزرگ با نقش‌های قشقایی و رنگ‌های قرمز و سرمه‌ای. بافت دو طرف یکسان است، پس "
        "می‌شود پشت‌ورو استفاده کرد و عمرش دو برابر می‌شود.",
        95_000_000,
        stock=1,
        materials="پشم دستریس، رنگ گیاهی",
        dimensions="۲۰۰ × ۳۰۰ سانتی‌متر",
        weight_grams=9000,
        photos=2,
    ),
    ListingText(
        P2,
        "kilim",
        "گلیم‌فرش دست‌باف طرح سنتی خراسان",
        "گلیم‌فرش (ترکیب گلیم و گره) با نقش‌های قدیمی خراسان. سفارشی بافته می‌شود؛ اندازه و "
        "رنگ را هنگام سفارش بنویسید.",
        68_000_000,
        lead_time_days=45,
        materials="پشم، چله پنبه",
        dimensions="۱۲۰ × ۱۸۰ سانتی‌متر",
        weight_grams=4000,
        photos=2,
    ),
    ListingText(
        P2,
        "kilim",
        "سفره گلیمی ۶ نفره دستباف",
        "سفره گلیمی برای مهمانی‌ها و سفره هفت‌سین؛ ضخیم و نرم، با حاشیه ریشه‌دار.",
        12_000_000,
        stock=6,
        materials="پشم و نخ پنبه",
        dimensions="۱۰۰ × ۱۵۰ سانتی‌متر",
        weight_grams=1800,
        photos=2,
    ),
    ListingText(
        P8,
        "kilim",
        "جاجیم بوشهری با نقش لوزی",
        "جاجیم نواری که نوارهایش جدا بافته و بعد به هم دوخته می‌شوند. روانداز، رومبلی یا "
        "زیرانداز سبک برای سفر.",
        32_000_000,
        stock=3,
        materials="پشم، نخ پنبه",
        dimensions="۱۴۰ × ۲۰۰ سانتی‌متر",
        weight_grams=2500,
        photos=2,
    ),
    ListingText(
        P8,
        "kilim",
        "پشتی گلیمی دستباف (جفت)",
        "یک جفت پشتی با رویه گلیم دستباف و پشت مخمل. داخلش با الیاف فشرده پر شده و فرمش را "
        "نگه می‌دارد.",
        18_500_000,
        stock=4,
        materials="رویه گلیم پشمی، پشت مخمل، الیاف پلی‌استر",
        dimensions="۴۰ × ۶۰ × ۲۰ سانتی‌متر",
        weight_grams=6000,
        photos=2,
        picture="cushion",
    ),
    ListingText(
        P8,
        "kilim",
        "كوسن گليمي ۴۵ در ۴۵",
        "رویه کوسن از گلیم دستباف، با زیپ مخفی. بالش داخلی همراهش است.",
        4_800_000,
        stock=10,
        materials="گلیم پشمی، پارچه کتان",
        dimensions="۴۵ × ۴۵ سانتی‌متر",
        weight_grams=700,
        photos=1,
        picture="cushion",
    ),
    ListingText(
        P2,
        "kilim",
        "Flat-weave kilim, 120 × 180 cm, natural dyes",
        "A flat-woven kilim from Golshahr, Mashhad, with rows of lozenges in madder, indigo and "
        "saffron. Reversible; hand-wash in cold water.",
        48_000_000,
        stock=2,
        materials="Hand-spun wool, natural dyes, cotton warp",
        dimensions="120 × 180 cm",
        weight_grams=3200,
        photos=2,
    ),
    # --- fret weaving ----------------------------------------------------------------------
    ListingText(
        P12,
        "fret-weaving",
        "زیرلیوانی فرت‌بافی (بسته ۶ عددی)",
        "شش زیرلیوانی فرت‌بافی با نخ پنبه‌ای در رنگ‌های شاد. زیرشان نمد دوخته شده تا روی میز "
        "سُر نخورند.",
        2_500_000,
        stock=12,
        materials="نخ پنبه، نمد",
        dimensions="۱۰ × ۱۰ سانتی‌متر",
        weight_grams=180,
        photos=2,
        picture="coasters",
    ),
    ListingText(
        P12,
        "fret-weaving",
        "کیف دوشی فرتبافی رنگی",
        "کیف دوشی سبک با بافت فرت و آستر پارچه‌ای و بند بلند قابل تنظیم. جای موبایل، کیف پول و "
        "یک کتاب.",
        7_500_000,
        stock=3,
        materials="نخ کاموا، آستر کتان",
        dimensions="۲۸ × ۲۲ سانتی‌متر",
        weight_grams=350,
        photos=2,
    ),
    ListingText(
        P2,
        "fret-weaving",
        "آویز دیواری فرت‌بافی طرح خورشید",
        "آویز دیواری با نوارهای نارنجی و زرد که روی قاب چوبی بافته شده؛ برای اتاق کودک یا پذیرایی.",
        12_000_000,
        stock=2,
        materials="پشم، چوب راش",
        dimensions="۵۰ × ۵۰ سانتی‌متر",
        weight_grams=800,
        photos=2,
    ),
    ListingText(
        P12,
        "fret-weaving",
        "رومیزی فرت‌بافی سنتی",
        "رومیزی مستطیلی با نوارهای درهم‌تنیده سرمه‌ای و کرم. اندازه را می‌توانید سفارشی انتخاب کنید.",
        9_000_000,
        lead_time_days=20,
        materials="نخ پنبه",
        dimensions="۴۰ × ۱۲۰ سانتی‌متر",
        weight_grams=600,
        photos=1,
    ),
    ListingText(
        P12,
        "fret-weaving",
        "جامدادی فرت بافی دخترانه",
        "جامدادی زیپ‌دار با نوارهای صورتی و سفید؛ آستر دارد و زیپش فلزی است.",
        2_200_000,
        stock=8,
        materials="نخ اکریلیک، زیپ فلزی",
        dimensions="۲۰ × ۸ سانتی‌متر",
        weight_grams=90,
        photos=1,
    ),
    ListingText(
        P12,
        "fret-weaving",
        "Fret-woven tote bag in indigo and saffron",
        "A roomy tote woven by hand on a frame from strips of cotton yarn, lined with calico. "
        "Strong enough for the weekly shopping.",
        8_200_000,
        stock=2,
        materials="Cotton yarn, calico lining",
        dimensions="38 × 34 cm",
        weight_grams=420,
        photos=2,
    ),
    # --- leather ---------------------------------------------------------------------------
    ListingText(
        P4,
        "leather",
        "کیف پول چرمی مردانه دست‌دوز",
        "کیف پول تاشو از چرم گاوی با دباغی گیاهی، که با گذر زمان خوش‌رنگ‌تر می‌شود.\n\n"
        "- هشت جای کارت\n- یک جیب بزرگ اسکناس\n- دوخت زین‌دوزی با نخ موم‌دار\n\n"
        "**نکته:** هر چند ماه یک‌بار کمی واکس چرم بزنید.",
        6_500_000,
        stock=7,
        materials="چرم گاوی دباغی گیاهی، نخ موم‌دار",
        dimensions="۱۱ × ۹ سانتی‌متر",
        weight_grams=90,
        photos=3,
        picture="wallet",
        is_featured=True,
        is_markdown=True,
    ),
    ListingText(
        P4,
        "leather",
        "كيف پول چرم طبيعي زنانه",
        "کیف پول زنانه با زیپ دورتادور، جای کارت و جیب سکه. رنگ‌های عسلی، زرشکی و مشکی موجود است.",
        7_200_000,
        stock=5,
        materials="چرم گاوی طبیعی",
        dimensions="۱۹ × ۱۰ سانتی‌متر",
        weight_grams=150,
        photos=2,
        picture="wallet",
    ),
    ListingText(
        P4,
        "leather",
        "جاکارتی چرمی با حکاکی اسم",
        "جاکارتی باریک با چهار جای کارت. اسم یا حروف اول نام را (فارسی یا انگلیسی) با داغ روی "
        "چرم حک می‌کنم.",
        2_800_000,
        lead_time_days=7,
        materials="چرم گاوی",
        dimensions="۱۰ × ۷ سانتی‌متر",
        weight_grams=40,
        photos=2,
        picture="cardholder",
    ),
    ListingText(
        P11,
        "leather",
        "کیف دوشی چرم گاوی دستدوز",
        "کیف دوشی زنانه با در مغناطیسی، جیب داخلی زیپ‌دار و بند قابل تنظیم. هر کیف با دست و "
        "در کارگاه خانگی دوخته می‌شود.",
        28_000_000,
        stock=2,
        materials="چرم گاوی، آستر جیر، یراق برنجی",
        dimensions="۳۰ × ۲۲ × ۸ سانتی‌متر",
        weight_grams=750,
        photos=3,
        picture="bag",
        is_featured=True,
    ),
    ListingText(
        P4,
        "leather",
        "کمربند چرمی مردانه با سگک برنجی",
        "کمربند یک‌تکه از چرم ضخیم (۴ میلی‌متر)، لبه‌ها سنباده و واکس‌خورده. اندازه دور کمر را "
        "هنگام سفارش بنویسید.",
        5_200_000,
        stock=6,
        materials="چرم گاوی، سگک برنجی",
        dimensions="عرض ۳٫۵ سانتی‌متر",
        weight_grams=220,
        photos=2,
        picture="belt",
    ),
    ListingText(
        P11,
        "leather",
        "کیفهای چرمی کوچک لوازم آرایش – ست دوتایی",
        "دو کیف کوچک در دو اندازه، برای لوازم آرایش یا شارژر و هندزفری. زیپ فلزی و آستر ضدآب.",
        9_500_000,
        stock=3,
        materials="چرم بزی، آستر ضدآب",
        dimensions="۲۰ × ۱۲ و ۱۶ × ۱۰ سانتی‌متر",
        weight_grams=260,
        photos=2,
        picture="wallet",
    ),
    ListingText(
        P11,
        "leather",
        "جاسوئیچی چرمی دست‌دوز",
        "جاسوئیچی چرمی با حلقه فلزی محکم؛ هدیه‌ای کوچک و کاربردی.",
        1_600_000,
        stock=15,
        materials="چرم گاوی، حلقه فولادی",
        dimensions="۱۲ × ۳ سانتی‌متر",
        weight_grams=25,
        photos=1,
        picture="belt",
    ),
    ListingText(
        P11,
        "leather",
        "کیف لپ‌تاپ چرمی ۱۵ اینچ",
        "کیف لپ‌تاپ با لایه محافظ اسفنجی، دسته و بند دوشی. رنگ چرم و رنگ نخ را هنگام سفارش "
        "انتخاب کنید.",
        35_000_000,
        lead_time_days=21,
        materials="چرم گاوی، اسفنج، یراق فلزی",
        dimensions="۴۰ × ۳۰ × ۶ سانتی‌متر",
        weight_grams=1300,
        photos=2,
        picture="bag",
    ),
    ListingText(
        P11,
        "leather",
        "Hand-stitched leather card holder",
        "A slim card holder with four slots and a middle pocket for notes, saddle-stitched by "
        "hand with waxed thread. Vegetable-tanned leather that darkens beautifully with use.",
        2_900_000,
        stock=9,
        materials="Vegetable-tanned cowhide, waxed linen thread",
        dimensions="10 × 7.5 cm",
        weight_grams=35,
        photos=2,
        picture="cardholder",
    ),
    # --- resin -----------------------------------------------------------------------------
    ListingText(
        P5,
        "resin-crafts",
        "گوشواره رزینی گل خشک",
        "گوشواره آویز با گل‌های خشک‌شده واقعی در رزین شفاف. قلاب استیل ضدحساسیت.",
        1_800_000,
        stock=10,
        materials="رزین اپوکسی، گل خشک، قلاب استیل",
        dimensions="۴ سانتی‌متر",
        weight_grams=12,
        photos=2,
        picture="earrings",
    ),
    ListingText(
        P5,
        "resin-crafts",
        "گردنبند رزین با گل طبیعی بابونه",
        "آویز گرد با گل بابونه و ورقه طلایی، با زنجیر استیل ۴۵ سانتی. هر آویز یکتاست و ممکن است "
        "کمی با عکس فرق داشته باشد.",
        3_200_000,
        stock=6,
        materials="رزین، گل بابونه، زنجیر استیل",
        dimensions="قطر آویز ۳ سانتی‌متر",
        weight_grams=20,
        photos=3,
        picture="pendants",
        is_featured=True,
    ),
    ListingText(
        P5,
        "resin-crafts",
        "سینی رزینی طرح دریا",
        "سینی پذیرایی با موج‌های سفید و رنگ آبی فیروزه‌ای و دسته‌های برنجی؛ برای سرو چای و "
        "شیرینی. در ماشین ظرفشویی شسته نشود.",
        9_500_000,
        stock=2,
        materials="رزین اپوکسی، دسته برنجی",
        dimensions="۴۰ × ۲۸ سانتی‌متر",
        weight_grams=1600,
        photos=2,
        picture="tray",
    ),
    ListingText(
        P5,
        "resin-crafts",
        "زیرلیوانی رزین (ست ۴ تایی)",
        "چهار زیرلیوانی گرد در رنگ‌های متفاوت با ورقه طلایی. زیرشان پایه نمدی دارد.",
        4_800_000,
        stock=5,
        materials="رزین، ورق طلایی، نمد",
        dimensions="قطر ۱۰ سانتی‌متر",
        weight_grams=400,
        photos=2,
        picture="coasters",
    ),
    ListingText(
        P10,
        "resin-crafts",
        "ساعت دیواری رزین و چوب",
        "ساعت دیواری از برش تنه درخت گردو و رزین آبی، با موتور بی‌صدا. هر ساعت بعد از سفارش "
        "ساخته می‌شود و خشک‌شدن رزین یک هفته زمان می‌برد.",
        12_000_000,
        lead_time_days=14,
        materials="چوب گردو، رزین، موتور ساعت بی‌صدا",
        dimensions="قطر ۳۵ سانتی‌متر",
        weight_grams=1800,
        photos=2,
        picture="tray",
    ),
    ListingText(
        P5,
        "resin-crafts",
        "جاكليدي رزيني با اسم دلخواه",
        "جاکلیدی با حروف اول اسم و گل خشک. اسم را در توضیحات سفارش بنویسید.",
        1_200_000,
        lead_time_days=5,
        materials="رزین، گل خشک، حلقه فلزی",
        dimensions="۵ سانتی‌متر",
        weight_grams=15,
        photos=1,
        picture="pendants",
    ),
    ListingText(
        P10,
        "resin-crafts",
        "دستبند رزینی اکلیلی",
        "دستبند النگویی رزینی با اکلیل طلایی و رنگ صورتی ملایم، در سه اندازه.",
        1_500_000,
        stock=8,
        materials="رزین، اکلیل",
        dimensions="قطر داخلی ۶ سانتی‌متر",
        weight_grams=30,
        photos=1,
        picture="pendants",
    ),
    ListingText(
        P10,
        "resin-crafts",
        "Resin pendant with pressed forget-me-nots",
        "Tiny blue forget-me-nots from our garden, pressed and set in clear resin. Comes on an "
        "18-inch stainless-steel chain in a gift box.",
        2_600_000,
        stock=4,
        materials="Epoxy resin, pressed flowers, stainless steel",
        dimensions="2.5 cm",
        weight_grams=15,
        photos=2,
        picture="pendants",
    ),
    # --- garments --------------------------------------------------------------------------
    ListingText(
        P6,
        "garments",
        "مانتو سوزن‌دوزی بوشهری",
        "مانتوی نخی با سوزن‌دوزی بوشهری روی سرآستین و جلوی یقه. سایز را انتخاب کنید یا "
        "اندازه‌هایتان را بفرستید؛ دوخت بعد از سفارش انجام می‌شود.",
        26_000_000,
        lead_time_days=20,
        materials="پارچه نخی، نخ ابریشم",
        dimensions="سایز ۳۸ تا ۵۰",
        options=(("سایز", ("38", "40", "42", "44", "46", "48", "50")),),
        variants={"48": (0, 28_000_000), "50": (0, 28_000_000)},
        weight_grams=600,
        photos=2,
        picture="shirt",
    ),
    ListingText(
        P6,
        "garments",
        "پیراهن زنانه با گلابتون‌دوزی بوشهر",
        "پیراهن بلند محلی با نقش‌های گلابتون‌دوزی طلایی روی سینه و دامن. دوخت این پیراهن حدود "
        "یک ماه طول کشیده است.",
        38_000_000,
        stock=1,
        materials="کرپ، نخ گلابتون",
        dimensions="سایز ۴۰",
        weight_grams=700,
        photos=3,
        picture="dress",
        is_featured=True,
    ),
    ListingText(
        P6,
        "garments",
        "شال نخی سوزندوزی شده",
        "شال نخی سبک با حاشیه سوزن‌دوزی رنگی؛ برای بهار و تابستان.",
        14_000_000,
        stock=4,
        materials="نخ پنبه",
        options=(("رنگ", ("فیروزه‌ای", "زرشکی", "کرم")),),
        variants={"فیروزه‌ای": (2, None), "زرشکی": (1, None), "کرم": (0, None)},
        dimensions="۷۰ × ۱۸۰ سانتی‌متر",
        weight_grams=250,
        photos=2,
        picture="shawl",
    ),
    ListingText(
        P6,
        "garments",
        "لباس محلی بچگانه بوشهری",
        "پیراهن و شلوار دخترانه با سوزن‌دوزی ساده، برای جشن‌های مدرسه و روز ملی خلیج فارس. "
        "سایز ۲ تا ۸ سال.",
        9_800_000,
        stock=3,
        materials="پارچه نخی، نخ گلدوزی",
        dimensions="سایز ۲ تا ۸ سال",
        options=(("سایز", ("۲ سال", "۴ سال", "۶ سال", "۸ سال")), ("رنگ", ("قرمز", "سبز"))),
        variants={
            "۲ سال · قرمز": (1, None),
            "۴ سال · قرمز": (2, None),
            "۴ سال · سبز": (1, None),
            "۶ سال · سبز": (0, None),
            "۸ سال · قرمز": (1, 11_500_000),
            "۸ سال · سبز": (1, 11_500_000),
        },
        weight_grams=350,
        photos=2,
        picture="dress",
    ),
    ListingText(
        P8,
        "garments",
        "روسری دست‌دوز با حاشیه سوزن‌دوزی",
        "روسری نخی با حاشیه‌ای که به شیوه زنان تنگستان سوزن‌دوزی شده. قابل شست‌وشو با دست.",
        8_500_000,
        stock=5,
        materials="نخ پنبه، نخ ابریشم",
        dimensions="۱۱۰ × ۱۱۰ سانتی‌متر",
        weight_grams=150,
        photos=1,
        picture="shawl",
    ),
    ListingText(
        P11,
        "garments",
        "پيراهن مردانه يقه ديپلمات، دوخت سفارشي",
        "پیراهن مردانه با پارچه نخی ایرانی و دوخت سفارشی با اندازه‌های شما. بعد از سفارش برای "
        "گرفتن اندازه‌ها تماس می‌گیرم.",
        11_000_000,
        lead_time_days=10,
        materials="پارچه نخی",
        dimensions="دوخت بر اساس اندازه",
        weight_grams=300,
        photos=1,
        picture="shirt",
    ),
    ListingText(
        P11,
        "garments",
        "کت و دامن زنانه دوخت سفارشی",
        "کت و دامن رسمی با پارچه فاستونی؛ مدل و رنگ را با هم انتخاب می‌کنیم.\n\n"
        "**مراحل کار:**\n\n"
        "1. گرفتن اندازه‌ها (حضوری در منطقه ۱۳ یا با ارسال لباس نمونه)\n"
        "2. دو جلسه پرو\n"
        "3. تحویل حدود ۲۵ روز بعد از سفارش",
        32_000_000,
        lead_time_days=25,
        materials="پارچه فاستونی، آستر",
        dimensions="دوخت بر اساس اندازه",
        weight_grams=900,
        photos=2,
        picture="dress",
        is_markdown=True,
    ),
    ListingText(
        P6,
        "garments",
        "Embroidered cotton tunic from Bushehr",
        "A loose cotton tunic with traditional Bushehri needlework across the yoke and cuffs, "
        "in gold and red thread. Size M (fits 38–42); hand-wash cold.",
        22_000_000,
        stock=2,
        materials="Cotton, silk thread",
        dimensions="Size M",
        weight_grams=400,
        photos=2,
        picture="shirt",
    ),
    # --- other handicrafts -----------------------------------------------------------------
    ListingText(
        P7,
        "other-handicrafts",
        "سبد حصیری دست‌باف برگ نخل",
        "سبد دسته‌دار از برگ نخل خرما با نوارهای رنگی قرمز و سبز؛ برای نان، میوه یا خرید.",
        3_800_000,
        stock=6,
        materials="برگ نخل، رنگ طبیعی",
        dimensions="قطر ۳۰، ارتفاع ۲۵ سانتی‌متر",
        weight_grams=400,
        photos=2,
        picture="basket",
    ),
    ListingText(
        P10,
        "other-handicrafts",
        "کاسه سفالی لعاب فیروزه‌ای",
        "کاسه سفالی دست‌ساز با لعاب فیروزه‌ای براق؛ برای سالاد یا آجیل. لعاب بدون سرب است و "
        "برای ظرف غذا مناسب.",
        4_500_000,
        stock=7,
        materials="سفال، لعاب بدون سرب",
        dimensions="قطر ۲۰ سانتی‌متر",
        weight_grams=700,
        photos=2,
        picture="pottery",
    ),
    ListingText(
        P10,
        "other-handicrafts",
        "بشقاب میناکاری اصفهان ۲۰ سانتی",
        "بشقاب مسی میناکاری‌شده با نقش گل و مرغ روی زمینه لاجوردی؛ برای دکور، همراه پایه چوبی.",
        22_000_000,
        stock=2,
        materials="مس، مینای لعابی",
        dimensions="قطر ۲۰ سانتی‌متر",
        weight_grams=450,
        photos=3,
        picture="plate",
    ),
    ListingText(
        P7,
        "other-handicrafts",
        "زیرانداز حصیری برگ خرما",
        "حصیر سفره یا زیرانداز سبک برای ایوان و ساحل؛ خنک و قابل شست‌وشو.",
        6_500_000,
        stock=3,
        materials="برگ نخل خرما",
        dimensions="۱۲۰ × ۱۸۰ سانتی‌متر",
        weight_grams=1500,
        photos=1,
        picture="basket",
    ),
    ListingText(
        P12,
        "other-handicrafts",
        "عروسک نمدی دستدوز",
        "عروسک نمدی دختر با لباس محلی، کاملاً دست‌دوز و بدون قطعات ریز؛ مناسب کودکان بالای ۳ سال.",
        3_500_000,
        stock=5,
        materials="نمد، الیاف پلی‌استر",
        dimensions="ارتفاع ۲۵ سانتی‌متر",
        weight_grams=150,
        photos=2,
        picture="doll",
    ),
    ListingText(
        P7,
        "other-handicrafts",
        "گلدان سفالی دستساز با نقش ماهی",
        "گلدان سفالی با نقش ماهی‌های جنوب و رنگ‌آمیزی دستی. سفارشی ساخته می‌شود و رنگ‌ها "
        "ممکن است کمی متفاوت باشند.",
        5_200_000,
        lead_time_days=10,
        materials="سفال، رنگ اکریلیک، ورنی",
        dimensions="ارتفاع ۳۰ سانتی‌متر",
        weight_grams=1600,
        photos=2,
        picture="pottery",
    ),
]

#: Listings sent for review that an admin has not looked at yet.
PENDING_LISTINGS: list[ListingText] = [
    ListingText(
        P4,
        "leather",
        "کیف کمری چرمی دست‌دوز",
        "کیف کمری کوچک با دو جیب زیپ‌دار و بند قابل تنظیم؛ برای سفر و پیاده‌روی.",
        4_900_000,
        stock=4,
        materials="چرم گاوی، زیپ فلزی",
        dimensions="۲۲ × ۱۴ سانتی‌متر",
        weight_grams=200,
        photos=2,
        picture="bag",
    ),
    ListingText(
        P7,
        "other-handicrafts",
        "بادبزن حصیری برگ نخل",
        "بادبزن دستی که در تابستان‌های بوشهر همه خانه‌ها دارند؛ بافته‌شده با برگ نخل و دسته چوبی.",
        900_000,
        stock=10,
        materials="برگ نخل، چوب",
        dimensions="۳۰ × ۲۵ سانتی‌متر",
        weight_grams=80,
        photos=1,
        picture="basket",
    ),
]


# --- buyers and their orders ---------------------------------------------------------------


@dataclass(frozen=True)
class BuyerText:
    email: str
    name: str
    mobile: str
    province: str
    city: str
    street_address: str
    postal_code: str


#: The demo buyer first; the others share the buyer's documented password.
BUYERS: list[BuyerText] = [
    BuyerText(
        "buyer@dastranj.test",
        BUYER_NAME,
        "09121234567",
        "tehran",
        "تهران",
        "خیابان شریعتی، کوچه گلستان، پلاک ۱۴، واحد ۳",
        "1915634711",
    ),
    BuyerText(
        "buyer2@dastranj.test",
        "زهرا کریمی",
        "09151112233",
        "razavi-khorasan",
        "مشهد",
        "بلوار وکیل‌آباد، وکیل‌آباد ۱۲، پلاک ۳۰",
        "9188814561",
    ),
    BuyerText(
        "buyer3@dastranj.test",
        "مهدی حسینی",
        "09131234455",
        "isfahan",
        "اصفهان",
        "خیابان چهارباغ بالا، کوچه نسترن، پلاک ۷",
        "8174673411",
    ),
    BuyerText(
        "buyer4@dastranj.test",
        "فاطمه احمدی",
        "09177654321",
        "bushehr",
        "بوشهر",
        "محله بهمنی، کوچه شهید رئیسی، پلاک ۲",
        "7514763318",
    ),
]


@dataclass(frozen=True)
class OrderText:
    """One demo order: whose, how many days ago, and what became of each producer's parcel.

    ``parcels`` maps a producer's e-mail to what happened to their parcel: ``new`` (not yet
    opened), ``preparing``, ``shipped``, ``delivered`` (and paid), ``cancelled`` (by the
    buyer) or ``refused`` (by the producer). ``pickup`` producers' parcels wait at their
    centre instead of going by post.
    """

    buyer: str
    days_ago: int
    parcels: dict[str, str]
    pickup: tuple[str, ...] = ()


ORDERS: list[OrderText] = [
    OrderText("buyer@dastranj.test", 118, {P2: "delivered", P6: "delivered"}),
    OrderText("buyer2@dastranj.test", 104, {P1: "delivered"}, pickup=(P1,)),
    OrderText("buyer3@dastranj.test", 93, {P4: "delivered", P5: "cancelled"}),
    OrderText("buyer4@dastranj.test", 81, {P6: "refused"}),
    OrderText("buyer@dastranj.test", 66, {P3: "delivered", P1: "delivered"}),
    OrderText("buyer2@dastranj.test", 52, {P11: "delivered", P12: "delivered"}),
    OrderText("buyer3@dastranj.test", 38, {P1: "delivered", P8: "cancelled"}),
    OrderText("buyer4@dastranj.test", 24, {P10: "delivered"}),
    OrderText("buyer@dastranj.test", 12, {P6: "shipped", P7: "delivered"}),
    OrderText("buyer2@dastranj.test", 6, {P1: "shipped", P2: "shipped"}, pickup=(P1,)),
    OrderText("buyer3@dastranj.test", 3, {P4: "preparing", P1: "refused"}),
    OrderText("buyer4@dastranj.test", 1, {P1: "new", P5: "new"}),
    OrderText("buyer@dastranj.test", 0, {P1: "new"}),
]

#: Why producers refused a parcel, and the carriers that took the posted ones.
REFUSAL_REASON = "متأسفانه این کار پیش از سفارش شما در نمایشگاه فروخته شد."
CARRIERS = ("پست پیشتاز", "تیپاکس", "پست سفارشی")
