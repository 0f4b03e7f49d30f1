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
