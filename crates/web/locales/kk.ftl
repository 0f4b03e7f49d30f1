# Интерфейстің қазақша жолдары. Әр кілт en.ftl мен ru.ftl файлдарында да болуы
# керек (мұны тест тексереді). Сан есімнен кейін зат есім көпше түрге түспейді.

site-name = «Қанды Қаңтар» тізілімі
lang-name = Қазақша
skip-to-content = Мазмұнға өту
nav-label = Басты мәзір
lang-switch-label = Тіл
nav-home = Басты бет
nav-people = Адамдар
nav-timeline = Шежіре
nav-map = Карта
nav-numbers = Сандар
nav-accountability = Жауапкершілік
nav-sources = Дереккөздер
footer-public-only = Бұл сайтта тек құжаттаушылар жария еткен жазбалар көрсетіледі. Ол басқа сайттардан ештеңе жүктемейді және JavaScript-сіз жұмыс істейді.
footer-api = JSON API (OpenAPI сипаттамасы)

home-title = 2022 жылғы Қанды Қаңтар: жария тізілім
home-intro = Қазақстандағы 2022 жылғы қаңтар оқиғалары кезінде және одан кейін қаза тапқан, жараланған, ұсталған және азапталған адамдардың, олардың басынан өткен жайттың және билік не істегенінің тізілімі. Әр дерек өз дереккөзін атайды.
home-no-js = Бір-біріне сәйкес келмейтін сандар орташаланбай, қатар көрсетіледі.

count-persons = { $count ->
    [one] { $count } адам
   *[other] { $count } адам
}
count-acts = { $count ->
    [one] { $count } құжатталған оқиға
   *[other] { $count } құжатталған оқиға
}
count-sources = { $count ->
    [one] { $count } жария дереккөз
   *[other] { $count } жария дереккөз
}
count-entries = { $count ->
    [one] { $count } жазба
   *[other] { $count } жазба
}

people-none = Әзірге ешбір адам туралы жазба жария емес.
person-other-names = Басқа жазылуы
person-age = Жасы
person-age-years = { $age ->
    [one] { $age } жаста
   *[other] { $age } жаста
}
person-age-as-of = мына күнгі
person-born = Туған күні
person-occupation = Кәсібі
person-residence = Тұрғылықты жері
person-status = Мәртебесі
person-roles = Рөлдері
person-portrait = Портрет
person-what-happened = Не болды
person-no-acts = Бұл адамға қатысты бірде-бір оқиға жария түрде құжатталмаған.
person-proceedings = Іс жүргізу және нәтижесі
person-no-proceedings = Шағым да, іс те жария түрде құжатталмаған.
person-relatives = Туыстары мен байланыстары
person-no-relatives = Туыстары жария түрде құжатталмаған.
relation-is-of = Бұл адам —
proceeding-charge = Айып
proceeding-course = Барысы
act-means = Құралдар
act-outcomes = Салдары
act-perpetrators = Жасаушылар
content-warning = Ескерту: зорлық-зомбылықтың сипаттамасы. Оқу үшін ашыңыз.
label-sources = Дереккөздер
no-public-source = жария дереккөз жоқ

date-unknown = Күні белгісіз
date-day = { $year } жылғы { $day } { $month }
date-month = { $year } жылғы { $month }
month-1 = қаңтар
month-2 = ақпан
month-3 = наурыз
month-4 = сәуір
month-5 = мамыр
month-6 = маусым
month-7 = шілде
month-8 = тамыз
month-9 = қыркүйек
month-10 = қазан
month-11 = қараша
month-12 = желтоқсан

timeline-intro = 2022 жылғы қаңтарда күн сайын, содан кейін ай сайын — одан кейінгі іс жүргізулер.
timeline-empty = Бұл сүзгілерге сәйкес жария ештеңе жоқ.
timeline-event = Оқиға
filter-city = Қала
filter-act-type = Бұзушылық түрі
filter-all = Барлығы
filter-apply = Көрсету

map-intro = Әр шеңбер — қала; оның өлшемі сол жерде құжатталған оқиғалар санына байланысты. Қаланың шежіресін көру үшін оны таңдаңыз.
map-title = Қалалар бойынша құжатталған оқиғалар
map-desc = Қазақстанның контурлық картасы: әр қалаға бір шеңбер, өлшемі құжатталған оқиғалар санына сәйкес.
map-list = Қалалар

numbers-intro = Шенеунік немесе дереккөз айтқан әр сан кім, қашан айтқанымен және дереккөзімен бірге көрсетіледі. Дереккөздер келіспеген жерде аралық көрсетіледі. Тізілімнің өз есебі — осы түрдегі жария құжатталған оқиғасы бар адамдар саны; бұл бағалау емес, төменгі шек.
numbers-none = Әзірге сандар туралы жария мәлімдеме жоқ.
numbers-whole-country = Бүкіл Қазақстан
numbers-caption = Мәлімдемелер: { $metric }, { $place }
numbers-col-value = Сан
numbers-col-claimant = Кім айтты
numbers-col-date = Қашан
numbers-superseded = кейінгісімен ауыстырылған
numbers-unattributed = Авторы көрсетілмеген
numbers-range = Дереккөздер келіспейді: { $low } мен { $high } аралығында.
numbers-range-open = Дереккөздер келіспейді: { $low } және одан көп.
numbers-documented = { $count ->
    [one] Тізілімде құжатталған: { $count } адам.
   *[other] Тізілімде құжатталған: { $count } адам.
}
numbers-register = Осы тізілім

acc-intro = Өлтіру мен азаптау туралы шағымдар, зардап шеккендерге және күш құрылымдарының қызметкерлеріне қарсы қозғалған істер және олардың нәтижесі — жария жазбалар бойынша.
acc-complaints = Берілген шағымдар
acc-cases-victims = Зардап шеккендерге қарсы істер
acc-cases-officers = Қызметкерлерге қарсы істер
acc-amnesties = Рақымшылықтар
acc-share = { $complaints ->
    [one] { $complaints } шағымның { $prosecuted } қылмыстық қудалауға әкелді ({ $percent }%).
   *[other] { $complaints } шағымның { $prosecuted } қылмыстық қудалауға әкелді ({ $percent }%).
}
acc-outcomes = Әр іс жүргізудің қазіргі мәртебесі
acc-none = Бірде-бір іс жүргізу жария түрде құжатталмаған.
acc-all = Барлық іс жүргізулер

sources-intro = Әр жария дереккөз және оның тізілімде нені растайтыны.
sources-none = Әзірге жария дереккөз жоқ.
source-kind = Түрі
source-author = Авторы
source-published = Жарияланған
source-reliability = Сенімділігі
source-url = Мекенжайы
source-reported-in = Қайдан белгілі болды
source-supports = Нені растайды
source-supports-nothing = Әзірге оған ешбір жария жазба сілтеме жасамайды.
kind-person = Адамдар
kind-event = Оқиғалар
kind-act = Бұзушылықтар
kind-place = Орындар
kind-source = Дереккөздер
kind-claim = Мәлімдемелер
kind-proceeding = Іс жүргізулер
kind-relationship = Байланыстар
kind-list_entry = Тізім жолдары
kind-link_decision = Сәйкестік шешімдері
kind-consent = Келісімдер

not-found-title = Бет табылмады
not-found-text = Бұл мекенжайда жария бет жоқ.
error-title = Бірдеңе дұрыс болмады
error-text = Архивті оқу мүмкін болмады. Кейінірек қайталап көріңіз.

# Құжаттаушылардың жұмыс орны (/workspace/).
work-name = qantar жұмыс орны
work-records = Жазбалар
work-public-site = Ашық сайт
work-logout = Шығу
work-login = Кіру
work-login-failed = Тіркелгі аты немесе құпиясөз қате.
work-login-limited = Бұл тіркелгі немесе мекенжай үшін сәтсіз кіру әрекеттері тым көп. 15 минут күтіп, қайталап көріңіз.
work-account-name = Тіркелгі аты
work-password = Құпиясөз (кемінде 10 таңба)
work-forbidden-title = Рұқсат жоқ
work-forbidden-text = Рөліңіз бұған рұқсат бермейді. Қажет болса, әкімшіге хабарласыңыз.
work-csrf-title = Пішіннің мерзімі өтті
work-csrf-text = Пішіннің осы сайттан жіберілгенін растау мүмкін болмады. Артқа оралып, бетті жаңартып, қайта жіберіңіз.
work-no-record = Мұндай жазба жоқ немесе оны көруге рұқсатыңыз жоқ. Идентификаторды тексеріңіз.
work-setup-title = Алғашқы әкімшіні құру
work-setup-intro = Бұл мұрағатта әлі тіркелгі жоқ. Алғашқы әкімшінің атын және құпиясөзін таңдаңыз. Сілтеме бір рет қана жұмыс істейді.
work-setup-used = Сілтеменің мерзімі өтті немесе ол пайдаланылған. Оператордан жаңасын сұраңыз немесе `qantar user add` пайдаланыңыз.
work-create-admin = Әкімшіні құру
work-filter-kind = Жазба түрлері
work-all-kinds = Барлық түрі
work-count-records = { $count ->
    [one] { $count } жазба
   *[other] { $count } жазба
}
work-label = Жазба
work-kind = Түрі
work-id = Идентификатор
work-confidentiality = Құпиялық
work-version = Нұсқа
work-updated = Соңғы өзгеріс
work-retracted = кері қайтарылған
work-history = Тарихы
work-edit = Түзету
work-public-profile = Ашық профиль
work-set-confidentiality = Құпиялықты өзгерту
work-save = Сақтау
work-retract = Кері қайтару
work-reason = Себебі
work-seq = Журнал жазбасы
work-time = Уақыты
work-author = Авторы
work-entry-kind = Өзгеріс
work-changed = Өзгерген өрістер
work-new-person = Жаңа адам
work-new-source = Жаңа дереккөз
work-new-act = Жаңа әрекет
work-new-json = Жаңа жазба (JSON)
work-form-errors = Ештеңе сақталмады. Төменде белгіленген өрістерді түзетіңіз.
work-json = Жазбаның JSON-ы
work-json-help = Бір жазбаны немесе бір-біріне ref арқылы сілтей алатын жазбалар тізімін docs/record-format.md пішімінде қойыңыз. Мұнда кез келген түрдегі жазбаны енгізуге болады.
work-patch = Өзгерістер (JSON merge patch)
work-patch-help = Тек өзгеретін өрістерді JSON нысаны ретінде жазыңыз; null мәні өрісті жояды. Түрі мен идентификаторын өзгертуге болмайды.
work-current = Жазбаның қазіргі күйі
work-ledger = Журнал
work-ledger-size = Журналдағы жазбалар
work-verify = Тексеру
work-verify-ok = Журнал тексерілді: барлық жазба, хеш және бақылау нүктелерінің қолтаңбалары бүтін.
work-verify-failed = Журнал тексеруден ӨТПЕЙДІ. Жазуды тоқтатып, операторға хабарлаңыз.
work-root = Ағаш түбірі
work-checkpoint = Соңғы қол қойылған бақылау нүктесі
work-checkpoint-at = { $size } жазбада:
work-no-checkpoint = Әзірге бірде-бір бақылау нүктесіне қол қойылмаған.
work-accounts = Тіркелгілер
work-role = Рөлі
work-remove = Жою
work-add-account = Тіркелгі қосу
work-new-token = API токенін құру
work-token-help = Токен бағдарламаға тіркелгінің рөлімен /api/v1 арқылы жазуға мүмкіндік береді. Ол бір рет көрсетіледі; оны құпия сақтаңыз.
work-token-label = Токен не үшін
work-token-once = Міне, жаңа токен. Оны қазір көшіріп алыңыз: ол қайта көрсетілмейді.
role-viewer = оқырман
role-analyst = талдаушы
role-editor = редактор
role-admin = әкімші
conf-public = ашық
conf-restricted = шектеулі
conf-confidential = құпия
field-name = Аты-жөні
field-name-lang = Есімнің тілі
field-ref = Қысқа белгі (ref)
field-sex = Жынысы
field-status = Мәртебесі
field-birth-date = Туған күні
field-occupation = Кәсібі
field-residence = Тұрғылықты жері
field-sources = Дереккөздер
field-notes = Құжаттаушыларға арналған ескертпелер
field-title = Атауы
field-source-kind = Дереккөз түрі
field-author = Авторы
field-url = Веб-мекенжайы
field-published = Жарияланған күні
field-language = Тілі (BCP 47, мысалы ru)
field-reliability = Сенімділігі
field-act-type = Әрекет түрі
field-victim = Жәбірленуші
field-date = Күні
field-place = Орны
field-description = Сипаттамасы
page-previous = ← Алдыңғы бет
page-next = Келесі бет →
page-position = { $pages } беттің { $page }-беті

## Жазбаларды байланыстыруды тексеру, тізімдерді импорттау және тізілім (жұмыс орны).
work-review = Жұптарды тексеру
work-register = Тізілім
work-import = Тізімді импорттау
review-same = Бір адам
review-different = Әртүрлі адамдар
review-unsure = Сенімді емеспін
review-run-now = Байланыстыруды қазір іске қосу
review-recorded = Шешім жазылды: { $verdict }. Ол байланыстырудың келесі іске қосылуында күшіне енеді.
review-no-run = Бұл мұрағатта байланыстыру әлі іске қосылмаған, сондықтан тізілім жоқ және тексеретін ештеңе жоқ.
review-run-info = Байланыстырудың { $run }-іске қосылуы, { $time } орындалды.
review-next-run = Шешімдер бірден жазылады, бірақ тізілімді тек байланыстырудың келесі іске қосылуында өзгертеді.
review-stale = { $count ->
    [one] Осы іске қосылудан кейін журналға { $count } жазба жазылды: тізілім ескірген болуы мүмкін.
   *[other] Осы іске қосылудан кейін журналға { $count } жазба жазылды: тізілім ескірген болуы мүмкін.
}
review-low = Сәйкестіктің ең төмен ықтималдығы
review-high = Сәйкестіктің ең жоғары ықтималдығы
review-show = Көрсету
review-empty = Бұл аралықта шешім күтіп тұрған жұп жоқ.
review-archive-list = Мұрағаттың өз жазбалары
review-list-hidden = сізге қолжетімсіз тізім
review-list = Тізім
review-cells = Тізімде жазылғандай ұяшықтар
review-fields = Өрістер
review-explanation = Модель бұл жұпты неге осылай бағалады
review-comparison = Салыстыру
review-level = Нәтиже
review-agreed = Сәйкестік пайдасына ма?
review-bits = Салмағы (бит)
review-prior = Салыстыруға дейін
review-agreed-yes = иә
review-agreed-no = жоқ
review-pair = { $n }-жұп
review-score = Сәйкестік ықтималдығы { $probability }, салмағы { $weight } бит.
review-deferred = Бұрын тексеруші бұл жұпқа сенімді болмаған.
review-reason = Себебі (міндетті емес)
review-bad-decision = Шешім үшін екі түрлі жазба және мыналардың бірі керек: бір адам, әртүрлі адамдар, сенімді емеспін.
review-run-done = Байланыстыруды іске қосу
review-run-failed = Байланыстыру іске қосылмады: мұрағатта әзірге тізім жазбалары немесе зардап шеккендер жоқ. Алдымен тізімді импорттаңыз.
review-sum-run = Іске қосу
review-sum-records = Байланыстырылған жазбалар
review-sum-persons = Тізілімдегі адамдар
review-sum-linked = Бірнеше жазбада аталған адамдар
review-sum-candidates = Салыстырылған үміткер жұптар
review-sum-matched = Біріктірілген жұптар
review-sum-to-review = Тексерілетін жұптар
review-sum-same = Қолданылған «бір адам» шешімдері
review-sum-different = Қолданылған «әртүрлі адамдар» шешімдері
review-sum-unsure = Кейінге қалдырылған жұптар
review-sum-sealed = Байланыстыруға қосылмаған мөрленген жазбалар
import-intro = Адамдар тізімін CSV (кез келген кең таралған кодтау мен бөлгіш), XLSX немесе JSON пішімінде, көп дегенде { $mib } МиБ жүктеңіз. Импорттың алдында алғашқы жолдарды көріп, әр бағанда не барын таңдайсыз. Файл импортталғанға дейін тек жадта сақталады.
import-file = Файл
import-preview = Жүктеу және алдын ала қарау
import-too-large = Файл { $mib } МиБ-тан үлкен. Оны кішірек файлдарға бөліңіз немесе серверде `qantar import` командасымен импорттаңыз.
import-not-multipart = Жүктеме файлы бар пішін ретінде келмеді. Файлды таңдап, батырманы қайта басыңыз.
import-no-rows = Файлда тақырыптан кейін жолдар жоқ: бұл бет оқи алатын тізім емес. Тізімді әр жолда бір адамнан CSV немесе XLSX пішімінде экспорттаңыз.
import-no-file = Жүктейтін файлды таңдаңыз.
import-format = Пішімі
import-encoding = Кодтауы
import-delimiter = Бөлгіш
import-warnings = Ескертулер
import-columns = Бағандар
import-preview-caption = Оқылған түрдегі алғашқы жолдар ({ $count }). Әр бағанның үстінен онда не барын таңдаңыз.
import-line = Жол
import-map-column = { $column } бағанында не бар
import-ignore = өткізіп жіберу
import-as-text = мәтін: { $column }
import-source-new-option = (жаңа тізім, атауы төменде)
import-source-defaults = Тізім және әдепкі мәндер
import-source = Тізім (дереккөз)
import-source-new = Немесе жаңа тізімнің атауы
import-default-act-type = Тізімдегі барлық адамға не болды
import-default-status = Тізімдегі барлық адамның мәртебесі
import-default-date = Әр жолдың күні (ешбір баған бермесе)
import-run = Импорттау
import-upload-gone = Жүктелген файл енді жоқ (ол бір сағат, сервердің бір процесінде сақталады). Оны қайта жүктеңіз.
import-no-mapping = Кем дегенде бір бағанда не барын таңдаңыз.
import-no-source = Тізімнің дереккөзін таңдаңыз немесе жаңасының атауын жазыңыз.
import-bad-date = { $date } — күн емес; мысалы, 2022-01-05, 2022-01 немесе 2022 деп жазыңыз.
import-done = Импорт аяқталды
import-rows-read = Оқылған жолдар
import-imported = Импортталды
import-already = Мұрағатта бұрыннан бар
import-bad-rows = Импортталмаған жолдар
import-places = Танылған орындар
import-unrecognised = Сақталған, бірақ танылмаған мәндер
import-field = Өріс
import-value = Мәні
import-rows = Жолдар
import-then-link = Жаңа жолдар тізілімге байланыстырудың келесі іске қосылуында қосылады.
import-another = Тағы бір тізімді импорттау
register-intro = Байланыстырудың { $run }-іске қосылуы бойынша тізілім ({ $time }): { $persons } адам.
register-overlaps = Тізімдердің қиылысуы
register-by-none = Барлығы бірге
register-by-region = Өңірлер бойынша
register-by-act-type = Бұзушылық түрлері бойынша
register-by-period = Айлар бойынша
register-download = overlaps.json жүктеп алу (qantar estimate үшін)
register-stratum = { $name }: { $count } адам
register-count = Адамдар
register-persons = Адамдар
register-person = Адам
register-lists = Кім атайды
register-records = Жазбалар

## «Сандар» бетіндегі бағалаулар.
numbers-est-title = Құжатталғаны және бағаланғаны
numbers-est-what = Бірнеше ұйым зардап шеккендердің өз тізімдерін жүргізді. Бір адам бірнеше тізімде болса, тізімдер қиылысады, ал осы қиылысулардың мөлшері барлық тізімнен тыс қалған адамдардың шамамен қанша екенін көрсетеді: тізімдерде ортақ есімдер көп болса, аз адам қалып кеткен; аз болса — көп. Мұны бірнеше дереккөз бойынша бағалау (multiple systems estimation) деп атайды.
numbers-est-floor = Құжатталған сан — салыстырудан кейін кем дегенде бір тізімде бар әртүрлі адамдардың саны. Бұл төменгі шек: шын мәнінде адамдар одан кем емес.
numbers-est-interval = Аралық — 95 пайыздық ауқым: деректер оның ішіндегі кез келген санмен үйлеседі. Кең аралық тізімдердің кімді қалдырып кеткені туралы аз айтатынын білдіреді.
numbers-est-caveats = Тізімдер тәуелсіз болмаса (бір тізім екіншісінен көшірілген немесе кейбір адамдарды тіркеу әлдеқайда оңай), кейбір адамдар ешбір тізімге мүлде іліге алмаса, және тізімдердегі есімдерді салыстыру әртүрлі адамдарды біріктірсе немесе бір адамды танымай қалса, бағалау қате болуы мүмкін.
numbers-est-none = Әзірге бағалау жоқ: тізімдер бір-бірімен әлі салыстырылмаған.
numbers-est-pending = Тізімдерді соңғы салыстыру бойынша бағалау есептелуде. Бетті бір минуттан кейін жаңартыңыз.
numbers-est-failed = Тізімдерді соңғы салыстыру бойынша бағалауды есептеу мүмкін болмады.
numbers-est-caption = Зардап шеккендердің құжатталған және бағаланған саны, барлығы және өңірлер бойынша
numbers-est-col-area = Аумақ
numbers-est-col-documented = Құжатталғаны
numbers-est-col-estimate = Бағалау
numbers-est-col-interval = Ауқымы
numbers-est-interval-value = { $low } мен { $high } аралығы ({ $level }%)
numbers-est-chart = Зардап шеккендердің құжатталған (жолақ) және бағаланған (ауқымы бар нүкте) саны
numbers-est-documented-n = { $count ->
    [one] { $count } адам құжатталды
   *[other] { $count } адам құжатталды
}
numbers-est-point = бағалау { $estimate }, ауқымы { $low } мен { $high } аралығы
numbers-est-no-figure = Бұл тізімдер бойынша бағалау беру мүмкін емес.
numbers-est-no-figure-short = бағалау жоқ (кестені қараңыз)
numbers-est-legend = Жолақ: құжатталғаны. Нүкте мен сызық: бағалау және оның ауқымы.
numbers-est-whole = Барлық өңірлер
numbers-est-unknown-region = Өңірі белгісіз
numbers-est-hidden-region = Басқа өңір
numbers-warn-few-lists = Мұнда адамдарды үштен аз тізім атайды; барлығы қалдырып кеткендерді бағалау үшін кем дегенде үшеуі керек.
numbers-warn-no-records = Мұнда ешкім құжатталмаған.
numbers-warn-few-records = Мұнда аз адам құжатталған, сондықтан бағалау өте белгісіз.
numbers-warn-no-overlap = Мұнда ешкім бірден көп тізімде жоқ, сондықтан бағалау мүмкін емес.
numbers-warn-sparse = Мұнда сенімді бағалау үшін бірден көп тізімдегі адамдар тым аз.
numbers-warn-empty-list = Кейбір тізімдер мұнда ешкімді атамайды және есепке алынбады.
numbers-warn-never-overlap = Кейбір тізім жұптарының мұнда ортақ адамы жоқ.
numbers-warn-boundary = Кейбір модельдерді өз шегінде бейімдеу мүмкін болмады, олар шеттетілді.
numbers-warn-unbounded = Кейбір модельдер шекті бағалау бермейді, олар шеттетілді.
numbers-warn-open-interval = Деректер мұндағы санның жоғарғы шегін белгілемейді.
numbers-warn-not-estimable = Бұл деректер бойынша модельді бағалау мүмкін емес.
numbers-warn-too-many-lists = Мұнда қолданылатын әдіс үшін тізімдер тым көп.
numbers-warn-method = Мұнда бағалау әдістері келіспейді.

# Account security: second factor, re-authentication, lock.
work-code-title = Екінші фактор
work-code-intro = Аутентификатор қолданбасы осы тіркелгі үшін көрсететін алты таңбалы кодты енгізіңіз.
work-code = Код
work-code-failed = Код қате, ескірген немесе бұрын қолданылған. Қолданба қазір көрсетіп тұрған кодты енгізіңіз.
work-totp-title = Екінші факторды баптау
work-totp-intro = Әкімшілер мен сақтаушылар құпиясөзбен және аутентификатор қолданбасының кодымен кіреді (мысалы, Aegis немесе FreeOTP). Төмендегі құпияны қолданбаға теріп немесе сілтеме арқылы қосыңыз, содан кейін қолданба көрсеткен кодты енгізіңіз. Құпия тек расталғанға дейін көрсетіледі.
work-totp-secret = Құпия (base32)
work-totp-uri = Аутентификатор қолданбаларына арналған сілтеме
work-totp-confirm = Кодты растау
work-totp-done = Бұл тіркелгіде екінші фактор бар. Телефон жоғалса, әкімшіден оны қайта орнатуды сұраңыз.
work-reauth-title = Бұл сіз екеніңізді растаңыз
work-reauth-intro = Бұл бетке соңғы { $minutes } минут ішінде енгізілген құпиясөз және, егер қолдансаңыз, код қажет.
work-reauth-failed = Құпиясөз немесе код қате.
work-reauth-go = Жалғастыру
work-lock = Бұғаттау
work-lock-help = Барлық сеансты аяқтап, барлық API токенін бірден кері қайтарып алу
work-lock-intro = Бұғаттау барлық сеансты, соның ішінде сіздікін, аяқтайды және барлық API токенін бірден кері қайтарып алады. Барлығы қайта кіреді; әкімшілер жаңа токендер береді. Құрылғы немесе құпиясөз бөгде қолға түсуі мүмкін болса, қолданыңыз.
work-locked-title = Бұғатталды
work-locked-text = Аяқталған сеанстар: { $sessions }. Кері қайтарылған API токендері: { $tokens }. Жалғастыру үшін қайта кіріңіз.
work-handler = Сақтаушы
work-totp = Екінші фактор
work-yes = иә
work-no = жоқ
work-make-handler = Сақтаушы ету
work-unmake-handler = Енді сақтаушы емес
work-totp-on = бапталған
work-totp-off = бапталмаған
work-totp-owed = міндетті, келесі кіруде бапталады
work-reset-totp = Қайта орнату

# Search (public records only)
nav-search = Іздеу
search-label = Есім, жер немесе сөз
search-button = Іздеу
search-hint = Есімді кирилше де, латынша да жазуға болады: екі жазылуы бірін-бірі табады. Тек мұрағаттың ашық бөлігі ізделеді.
search-none = Мұрағаттың ашық бөлігінде бұл сөздердің бәрі бар жазба жоқ.
search-count = { $count ->
    [one] { $count } ашық жазба табылды.
   *[other] { $count } ашық жазба табылды; алғашқы { $shown } көрсетілді.
}

# Мөрленген жазбалар (тек бөлім сақтаушыларына).
work-sealed = Мөрленген жазбалар
work-sealed-none = Сізде ешбір бөлімнің кілті жоқ. Мөрленген жазбаларды тек сақтаушылар ашады: бөлімнің сақтаушысы `qantar seal grant` командасымен рұқсат береді, ал әкімші тіркелгіні сақтаушы деп белгілейді. Рөлдің өзі рұқсат бермейді.
work-sealed-intro = Сізге рұқсат берілген бөлімдер және олардағы мөрленген жазбалар. Мұнда журнал ашық сақтайтын мәліметтер ғана көрсетіледі; жазбаны оқу үшін оны ашыңыз. Әр ашу журналға сіздің атыңызбен жазылады.
work-compartments = Сіздің бөлімдеріңіз
work-compartment = Бөлім
work-handlers = Сақтаушылар
work-sealed-count = Жазбалар саны
work-sealed-records = Ондағы мөрленген жазбалар
work-created = Жазылған
work-sealed-record = Мөрленген жазба
work-unseal = Жазбаны ашу
work-unseal-warning = Бұл жазбаны ашқанда журналға сіздің оны оқығаныңыз туралы жазба қосылады. Мазмұны тек осы бетте көрсетіледі, сервер оны сақтамайды, беттен кеткенде ол жоғалады.
work-unseal-limited = Бұл тіркелгі немесе мекенжай үшін қате құпия сөз не кілт файлы тым көп болды. 15 минут күтіп, қайта көріңіз.
work-unseal-wrong = Құпия сөз немесе кілт файлы { $compartment } бөліміне рұқсатыңызды ашпайды. Тексеріп, қайта көріңіз; ештеңе ашылған да, жазылған да жоқ.
work-unseal-need-passphrase = { $compartment } бөліміне рұқсатыңыз құпия сөзбен ашылады: оны енгізіңіз.
work-unseal-need-key-file = { $compartment } бөліміне рұқсатыңыз кілт файлымен ашылады: файлды таңдаңыз.
work-unseal-bad-key-file = Бұл файл бүтін кілт файлы емес. { $compartment } бөліміне арналған кілт файлыңыздың бүлінбеген көшірмесін таңдаңыз.
work-unsealed-audited = Бұл оқу журналға сіздің атыңызбен жазылды. Жұмысыңыз біткенде бетті жабыңыз; одан ештеңе сақталмайды.
work-sealed-back = Мөрленген жазбаларға оралу
work-seal-legend = Құпия жазбаны мөрлеу
work-seal-help = Бұл мұрағат құпия жазбаларды мөрлейді. Ондай жазбаны енгізу үшін өз бөлімдеріңіздің бірін таңдап, құпия сөзіңізді енгізіңіз (немесе кілт файлын таңдаңыз). Құпия емес жазбалар әдеттегідей сақталады, бұл өрістер қолданылмайды.
work-seal-compartment = Бөлім
work-seal-passphrase = Осы бөлімге арналған құпия сөзіңіз
work-seal-key-file = Немесе кілт файлыңыз

## Evidence files on a record's page
evidence-files = Файлдар
evidence-none = Бұл жазбаға файл тіркелмеген.
evidence-sealed-count = Мөрленген файлдар: { $count }. Олардың атаулары, түрлері, өлшемдері мен хештері мөрленген бөлікте; оларды құпия сөзіңізбен бір-бірлеп ашыңыз.
evidence-n = №
evidence-type = Түрі
evidence-size = Өлшемі (байт)
evidence-sha = SHA-256
evidence-original = Түпнұсқа
evidence-public-copy = Жария көшірме
evidence-download = Жүктеп алу
evidence-no-public-copy = жоқ
evidence-erased = өшірілген
evidence-add = Файл тіркеу
evidence-add-note = Түпнұсқа архивте тек жұмыс кеңістігі үшін сақталады.
evidence-add-public-note = Бұл жазба жария: метадеректерсіз (GPS орны, камераның сериялық нөмірлері, авторы) көшірме жарияланады, ал түпнұсқа жұмыс кеңістігінде қалады. Қолдау көрсетілетін түрлер: JPEG, PNG, WebP, TIFF, PDF, DOCX, HEIC, MP4/MOV.
evidence-add-sealed-note = Бұл жазба мөрленген: файл сақталмас бұрын шифрланады және жария көшірмесі болмайды. Оның бөліміне арналған құпия сөзіңізді немесе кілт файлыңызды беріңіз.
evidence-file = Файл (ең көбі { $mib } МиБ)
evidence-captured = Түсірілген күні (міндетті емес: ЖЖЖЖ-АА-КК немесе 2022-01-05T14:20:00+06:00)
evidence-attach = Тіркеу
evidence-refused-title = Файл тіркелмеді
evidence-no-file = Тіркейтін файлды таңдаңыз. Ештеңе сақталмады.
evidence-empty = Файл бос. Файлды қайта таңдаңыз. Ештеңе сақталмады.
evidence-too-large = Файл { $mib } МиБ-тан үлкен. Оны серверде `qantar evidence add` командасымен тіркеңіз. Ештеңе сақталмады.
evidence-back = Жазбаға оралу
evidence-open-title = Мөрленген файлды ашу
evidence-open-warning = Бұл файлды ашу тізілімге сізді оқырман ретінде атайтын жазба қосады. Файл браузеріңізге жүктеп алу ретінде жіберіледі және серверде сақталмайды.
evidence-open = Файлды жүктеп алу

# Consent form
work-new-consent = Жаңа келісім
field-subject = Кімнің келісімі (адам немесе куәлік: id не ref)
field-audience = Кімге көрсетуге болады
field-identity = Есімімен бе, жасырын ба
field-given-on = Келісім күні (ЖЖЖЖ-АА-КК)
field-partners = Қай серіктестерге (тек серіктестерге болса)
field-method = Келісім қалай берілді

# Redaction
work-redact = Жария нұсқасы
work-redact-text = Осы жазбаның жеке басын анықтайтын өрістерсіз (есімдер, туған күні, тұрғылықты жері, дереккөздің атауы, авторы мен мекенжайы…) жария нұсқасын қосу; жазбаның өзі өзгермейді. Келісімдер ескеріледі.
work-redact-button = Иесіз нұсқасын жариялау
