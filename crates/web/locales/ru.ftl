# Строки интерфейса на русском. Каждый ключ должен быть и в en.ftl, и в kk.ftl
# (это проверяет тест). Формы множественного числа: one / few / many / other.

site-name = Реестр «Кровавый январь»
lang-name = Русский
skip-to-content = Перейти к содержанию
nav-label = Главное меню
lang-switch-label = Язык
nav-home = Главная
nav-people = Люди
nav-timeline = Хроника
nav-map = Карта
nav-numbers = Цифры
nav-accountability = Ответственность
nav-sources = Источники
footer-public-only = На этом сайте только записи, которые документаторы сделали публичными. Он ничего не загружает с других сайтов и работает без JavaScript.
footer-api = JSON API (описание OpenAPI)

home-title = Кровавый январь 2022 года: публичный реестр
home-intro = Реестр людей, убитых, раненых, задержанных и подвергнутых пыткам во время и после январских событий 2022 года в Казахстане, того, что с ними случилось, и того, что сделали власти. У каждого факта указан источник.
home-no-js = Расходящиеся цифры показаны рядом, а не усреднены.

count-persons = { $count ->
    [one] { $count } человек
    [few] { $count } человека
    [many] { $count } человек
   *[other] { $count } человека
}
count-acts = { $count ->
    [one] { $count } задокументированный эпизод
    [few] { $count } задокументированных эпизода
    [many] { $count } задокументированных эпизодов
   *[other] { $count } задокументированного эпизода
}
count-sources = { $count ->
    [one] { $count } публичный источник
    [few] { $count } публичных источника
    [many] { $count } публичных источников
   *[other] { $count } публичного источника
}
count-entries = { $count ->
    [one] { $count } запись
    [few] { $count } записи
    [many] { $count } записей
   *[other] { $count } записи
}

people-none = Пока нет ни одной публичной записи о человеке.
person-other-names = Другие написания
person-age = Возраст
person-age-years = { $age ->
    [one] { $age } год
    [few] { $age } года
    [many] { $age } лет
   *[other] { $age } года
}
person-age-as-of = на
person-born = Дата рождения
person-occupation = Род занятий
person-residence = Место жительства
person-status = Статус
person-roles = Роли
person-portrait = Портрет
person-what-happened = Что произошло
person-no-acts = Публично не задокументировано ни одного эпизода в отношении этого человека.
person-proceedings = Разбирательства и итог
person-no-proceedings = Публично не задокументировано ни жалоб, ни дел.
person-relatives = Родственники и связи
person-no-relatives = Родственники публично не задокументированы.
relation-is-of = Этот человек —
proceeding-charge = Обвинение
proceeding-course = Ход
act-means = Средства
act-outcomes = Последствия
act-perpetrators = Исполнители
content-warning = Предупреждение: описание насилия. Откройте, чтобы прочитать.
label-sources = Источники
no-public-source = нет публичного источника

date-unknown = Дата неизвестна
date-day = { $day } { $month } { $year } г.
date-month = { $month } { $year } г.
month-1 = января
month-2 = февраля
month-3 = марта
month-4 = апреля
month-5 = мая
month-6 = июня
month-7 = июля
month-8 = августа
month-9 = сентября
month-10 = октября
month-11 = ноября
month-12 = декабря

timeline-intro = День за днём в январе 2022 года, затем по месяцам — разбирательства, которые последовали.
timeline-empty = Ничего публичного по этим фильтрам.
timeline-event = Событие
filter-city = Город
filter-act-type = Вид нарушения
filter-all = Все
filter-apply = Показать

map-intro = Каждый круг — город; его размер зависит от числа задокументированных эпизодов. Выберите город, чтобы увидеть его хронику.
map-title = Задокументированные эпизоды по городам
map-desc = Контурная карта Казахстана с кругом для каждого города, размер которого зависит от числа задокументированных эпизодов.
map-list = Города

numbers-intro = Каждая цифра, которую назвал чиновник или источник, показана вместе с тем, кто и когда её назвал, и с источником. Где источники расходятся, показан диапазон. Собственный счёт реестра — число людей с публичным задокументированным эпизодом такого вида; это нижняя граница, а не оценка.
numbers-none = Пока нет публичных заявлений о числах.
numbers-whole-country = Казахстан в целом
numbers-caption = Заявления: { $metric }, { $place }
numbers-col-value = Цифра
numbers-col-claimant = Кто заявил
numbers-col-date = Когда
numbers-superseded = заменено более поздним
numbers-unattributed = Без указания автора
numbers-range = Источники расходятся: от { $low } до { $high }.
numbers-range-open = Источники расходятся: от { $low } и больше.
numbers-documented = { $count ->
    [one] Задокументировано в реестре: { $count } человек.
    [few] Задокументировано в реестре: { $count } человека.
    [many] Задокументировано в реестре: { $count } человек.
   *[other] Задокументировано в реестре: { $count } человека.
}
numbers-register = Этот реестр

acc-intro = Жалобы на убийства и пытки, дела против пострадавших и против сотрудников силовых структур и их итог — по публичным записям.
acc-complaints = Подано жалоб
acc-cases-victims = Дела против пострадавших
acc-cases-officers = Дела против сотрудников
acc-amnesties = Амнистии
acc-share = { $complaints ->
    [one] { $prosecuted } из { $complaints } жалобы привела к уголовному преследованию ({ $percent }%).
   *[other] { $prosecuted } из { $complaints } жалоб привели к уголовному преследованию ({ $percent }%).
}
acc-outcomes = Текущий статус каждого разбирательства
acc-none = Публично не задокументировано ни одного разбирательства.
acc-all = Все разбирательства

sources-intro = Каждый публичный источник и то, что он подтверждает в реестре.
sources-none = Пока нет публичных источников.
source-kind = Вид
source-author = Автор
source-published = Опубликовано
source-reliability = Надёжность
source-url = Адрес
source-reported-in = Стало известно из
source-supports = Что подтверждает
source-supports-nothing = Пока на него не ссылается ни одна публичная запись.
kind-person = Люди
kind-event = События
kind-act = Эпизоды
kind-place = Места
kind-source = Источники
kind-claim = Заявления
kind-proceeding = Разбирательства
kind-relationship = Связи
kind-list_entry = Строки списков
kind-link_decision = Решения о совпадении
kind-consent = Согласия

not-found-title = Страница не найдена
not-found-text = По этому адресу нет публичной страницы.
error-title = Что-то пошло не так
error-text = Не удалось прочитать архив. Попробуйте позже.

# Рабочее место документаторов (/workspace/).
work-name = Рабочее место qantar
work-records = Записи
work-public-site = Публичный сайт
work-logout = Выйти
work-login = Войти
work-login-failed = Неверное имя учётной записи или пароль.
work-login-limited = Слишком много неудачных попыток входа для этой учётной записи или адреса. Подождите 15 минут и попробуйте снова.
work-account-name = Имя учётной записи
work-password = Пароль (не менее 10 символов)
work-forbidden-title = Нет доступа
work-forbidden-text = Ваша роль этого не позволяет. Если это нужно, обратитесь к администратору.
work-csrf-title = Форма устарела
work-csrf-text = Не удалось подтвердить, что форма отправлена с этого сайта. Вернитесь, обновите страницу и отправьте её снова.
work-no-record = Такой записи нет, или вам нельзя её видеть. Проверьте идентификатор.
work-setup-title = Создание первого администратора
work-setup-intro = В этом архиве ещё нет учётных записей. Выберите имя и пароль первого администратора. Ссылка действует один раз.
work-setup-used = Срок действия ссылки истёк или она уже использована. Попросите оператора о новой или используйте `qantar user add`.
work-create-admin = Создать администратора
work-filter-kind = Виды записей
work-all-kinds = Все виды
work-count-records = { $count ->
    [one] { $count } запись
    [few] { $count } записи
    [many] { $count } записей
   *[other] { $count } записи
}
work-label = Запись
work-kind = Вид
work-id = Идентификатор
work-confidentiality = Конфиденциальность
work-version = Версия
work-updated = Последнее изменение
work-retracted = отозвана
work-history = История
work-edit = Исправить
work-public-profile = Публичный профиль
work-set-confidentiality = Изменить конфиденциальность
work-save = Сохранить
work-retract = Отозвать
work-reason = Причина
work-seq = Запись журнала
work-time = Время
work-author = Автор
work-entry-kind = Изменение
work-changed = Изменённые поля
work-new-person = Новый человек
work-new-source = Новый источник
work-new-act = Новое деяние
work-new-json = Новая запись (JSON)
work-form-errors = Ничего не сохранено. Исправьте отмеченные ниже поля.
work-json = JSON записи
work-json-help = Вставьте одну запись или список записей, которые могут ссылаться друг на друга по ref, в формате docs/record-format.md. Здесь можно ввести запись любого вида.
work-patch = Изменения (JSON merge patch)
work-patch-help = Укажите только изменяемые поля в виде объекта JSON; значение null удаляет поле. Вид и идентификатор изменить нельзя.
work-current = Запись сейчас
work-ledger = Журнал
work-ledger-size = Записей в журнале
work-verify = Проверка
work-verify-ok = Журнал проверен: все записи, хеши и подписи контрольных точек целы.
work-verify-failed = Журнал НЕ проходит проверку. Прекратите запись и сообщите оператору.
work-root = Корень дерева
work-checkpoint = Последняя подписанная контрольная точка
work-checkpoint-at = На { $size } записях:
work-no-checkpoint = Контрольная точка ещё не подписана.
work-accounts = Учётные записи
work-role = Роль
work-remove = Удалить
work-add-account = Добавить учётную запись
work-new-token = Создать токен API
work-token-help = Токен позволяет программе писать через /api/v1 с ролью учётной записи. Он показывается один раз; храните его в тайне.
work-token-label = Для чего токен
work-token-once = Вот новый токен. Скопируйте его сейчас: больше он показан не будет.
role-viewer = читатель
role-analyst = аналитик
role-editor = редактор
role-admin = администратор
conf-public = публичная
conf-restricted = ограниченная
conf-confidential = конфиденциальная
field-name = Имя
field-name-lang = Язык имени
field-ref = Краткое обозначение (ref)
field-sex = Пол
field-status = Статус
field-birth-date = Дата рождения
field-occupation = Род занятий
field-residence = Место жительства
field-sources = Источники
field-notes = Заметки для документаторов
field-title = Название
field-source-kind = Вид источника
field-author = Автор
field-url = Веб-адрес
field-published = Опубликовано
field-language = Язык (BCP 47, например ru)
field-reliability = Достоверность
field-act-type = Вид деяния
field-victim = Пострадавший
field-date = Дата
field-place = Место
field-description = Описание
page-previous = ← Предыдущая страница
page-next = Следующая страница →
page-position = Страница { $page } из { $pages }

## Проверка связывания записей, импорт списков и реестр (рабочее место).
work-review = Проверка пар
work-register = Реестр
work-import = Импорт списка
review-same = Один и тот же человек
review-different = Разные люди
review-unsure = Не уверен(а)
review-run-now = Запустить связывание сейчас
review-recorded = Решение записано: { $verdict }. Оно вступит в силу при следующем запуске связывания.
review-no-run = Связывание в этом архиве ещё не запускалось, поэтому реестра нет и проверять нечего.
review-run-info = Запуск связывания { $run }, выполнен { $time }.
review-next-run = Решения записываются сразу, но меняют реестр только при следующем запуске связывания.
review-stale = { $count ->
    [one] После этого запуска в журнал записана { $count } запись: реестр может быть устаревшим.
    [few] После этого запуска в журнал записаны { $count } записи: реестр может быть устаревшим.
   *[other] После этого запуска в журнал записано { $count } записей: реестр может быть устаревшим.
}
review-low = Наименьшая вероятность совпадения
review-high = Наибольшая вероятность совпадения
review-show = Показать
review-empty = В этом диапазоне нет пар, ожидающих решения.
review-archive-list = Собственные записи архива
review-list-hidden = недоступный вам список
review-list = Список
review-cells = Ячейки, как они записаны в списке
review-fields = Поля
review-explanation = Почему модель так оценила эту пару
review-comparison = Сравнение
review-level = Результат
review-agreed = За совпадение?
review-bits = Вес (биты)
review-prior = До всех сравнений
review-agreed-yes = да
review-agreed-no = нет
review-pair = Пара { $n }
review-score = Вероятность совпадения { $probability }, вес { $weight } бит.
review-deferred = Ранее проверяющий не был уверен в этой паре.
review-reason = Причина (необязательно)
review-bad-decision = Для решения нужны две разные записи и один из вариантов: один человек, разные люди, не уверен(а).
review-run-done = Запуск связывания
review-run-failed = Связывание не удалось запустить: в архиве пока нет записей списков или пострадавших. Сначала импортируйте список.
review-sum-run = Запуск
review-sum-records = Связано записей
review-sum-persons = Людей в реестре
review-sum-linked = Людей, названных более чем в одной записи
review-sum-candidates = Сравнено пар-кандидатов
review-sum-matched = Объединено пар
review-sum-to-review = Пар к проверке
review-sum-same = Применено решений «один человек»
review-sum-different = Применено решений «разные люди»
review-sum-unsure = Отложено пар
review-sum-sealed = Запечатанных записей не связано
import-intro = Загрузите список людей в формате CSV (любая распространённая кодировка и разделитель), XLSX или JSON, не более { $mib } МиБ. Перед импортом вы увидите первые строки и выберете, что содержит каждый столбец. Файл хранится только в памяти до импорта.
import-file = Файл
import-preview = Загрузить и просмотреть
import-too-large = Файл больше { $mib } МиБ. Разделите его на меньшие файлы или импортируйте командой `qantar import` на сервере.
import-not-multipart = Загрузка пришла не как форма с файлом. Выберите файл и нажмите кнопку ещё раз.
import-no-rows = В файле нет строк под заголовком: это не список, который может прочитать эта страница. Экспортируйте список в CSV или XLSX, по одному человеку в строке.
import-no-file = Выберите файл для загрузки.
import-format = Формат
import-encoding = Кодировка
import-delimiter = Разделитель
import-warnings = Предупреждения
import-columns = Столбцы
import-preview-caption = Первые строки ({ $count }) в прочитанном виде. Над каждым столбцом выберите, что он содержит.
import-line = Строка
import-map-column = Что содержит столбец { $column }
import-ignore = пропустить
import-as-text = текст: { $column }
import-source-new-option = (новый список, название ниже)
import-source-defaults = Список и значения по умолчанию
import-source = Список (источник)
import-source-new = Или новый список с названием
import-default-act-type = Что произошло со всеми в списке
import-default-status = Статус всех в списке
import-default-date = Дата для каждой строки (если ни один столбец её не даёт)
import-run = Импортировать
import-upload-gone = Загруженного файла больше нет (он хранится час, в одном процессе сервера). Загрузите его снова.
import-no-mapping = Выберите, что содержит хотя бы один столбец.
import-no-source = Выберите источник списка или укажите название нового.
import-bad-date = { $date } — не дата; напишите, например, 2022-01-05, 2022-01 или 2022.
import-done = Импорт завершён
import-rows-read = Прочитано строк
import-imported = Импортировано
import-already = Уже в архиве
import-bad-rows = Неимпортированные строки
import-places = Распознано мест
import-unrecognised = Сохранённые, но не распознанные значения
import-field = Поле
import-value = Значение
import-rows = Строк
import-then-link = Новые строки войдут в реестр при следующем запуске связывания.
import-another = Импортировать ещё один список
register-intro = Реестр по запуску связывания { $run } ({ $time }): людей — { $persons }.
register-overlaps = Пересечения списков
register-by-none = Все вместе
register-by-region = По регионам
register-by-act-type = По видам нарушений
register-by-period = По месяцам
register-download = Скачать overlaps.json (для qantar estimate)
register-stratum = { $name }: людей — { $count }
register-count = Людей
register-persons = Люди
register-person = Человек
register-lists = Кто называет
register-records = Записи

## Оценки на странице «Цифры».
numbers-est-title = Задокументировано и оценено
numbers-est-what = Несколько организаций вели свои списки пострадавших. Когда один и тот же человек есть в нескольких списках, списки пересекаются, и размер этих пересечений показывает, сколько людей, вероятно, не попало ни в один список: если у списков много общих имён, пропущено мало людей; если мало — много. Это называется оценкой по нескольким источникам (multiple systems estimation).
numbers-est-floor = Задокументированное число — это число разных людей хотя бы в одном списке после сопоставления. Это нижняя граница: на самом деле людей не меньше.
numbers-est-interval = Интервал — это 95-процентный диапазон: данные согласуются с любым числом внутри него. Широкий интервал означает, что списки мало говорят о тех, кого они пропустили.
numbers-est-caveats = Оценка может быть неверной, если списки не независимы (один список скопирован с другого или одних людей записать гораздо легче, чем других), если некоторые люди вообще не могли попасть ни в один список, и если при сопоставлении имён разные люди объединены или один и тот же человек не узнан.
numbers-est-none = Оценки пока нет: списки ещё не сопоставлены друг с другом.
numbers-est-pending = Оценка по последнему сопоставлению списков вычисляется. Обновите страницу через минуту.
numbers-est-failed = Не удалось вычислить оценку по последнему сопоставлению списков.
numbers-est-caption = Задокументированное и оценённое число пострадавших, всего и по регионам
numbers-est-col-area = Территория
numbers-est-col-documented = Задокументировано
numbers-est-col-estimate = Оценка
numbers-est-col-interval = Диапазон
numbers-est-interval-value = от { $low } до { $high } ({ $level }%)
numbers-est-chart = Задокументированное (полоса) и оценённое (точка с диапазоном) число пострадавших
numbers-est-documented-n = { $count ->
    [one] задокументирован { $count } человек
    [few] задокументировано { $count } человека
   *[other] задокументировано { $count } человек
}
numbers-est-point = оценка { $estimate }, диапазон от { $low } до { $high }
numbers-est-no-figure = По этим спискам оценку дать нельзя.
numbers-est-no-figure-short = оценки нет (см. таблицу)
numbers-est-legend = Полоса: задокументировано. Точка и линия: оценка и её диапазон.
numbers-est-whole = Все регионы
numbers-est-unknown-region = Регион неизвестен
numbers-est-hidden-region = Другой регион
numbers-warn-few-lists = Здесь людей называют меньше трёх списков; чтобы оценить, кого пропустили все, нужно не меньше трёх.
numbers-warn-no-records = Здесь никто не задокументирован.
numbers-warn-few-records = Здесь задокументировано мало людей, поэтому оценка очень неопределённа.
numbers-warn-no-overlap = Здесь никто не входит больше чем в один список, поэтому оценка невозможна.
numbers-warn-sparse = Здесь слишком мало людей, входящих больше чем в один список, для надёжной оценки.
numbers-warn-empty-list = Некоторые списки никого здесь не называют и не учитывались.
numbers-warn-never-overlap = У некоторых пар списков здесь нет общих людей.
numbers-warn-boundary = Некоторые модели не удалось подогнать в их пределах, и они отложены.
numbers-warn-unbounded = Некоторые модели не дают конечной оценки и отложены.
numbers-warn-open-interval = Данные не задают здесь верхней границы числа.
numbers-warn-not-estimable = Модель нельзя оценить по этим данным.
numbers-warn-too-many-lists = Здесь слишком много списков для используемого метода.
numbers-warn-method = Методы оценки здесь расходятся.

# Account security: second factor, re-authentication, lock.
work-code-title = Второй фактор
work-code-intro = Введите шестизначный код, который приложение-аутентификатор показывает для этой учётной записи.
work-code = Код
work-code-failed = Код неверен, устарел или уже был использован. Введите код, который приложение показывает сейчас.
work-totp-title = Настройка второго фактора
work-totp-intro = Администраторы и хранители входят с паролем и кодом из приложения-аутентификатора (например, Aegis или FreeOTP). Добавьте секрет ниже в приложение, набрав его или импортировав ссылку, затем введите код, который покажет приложение. Секрет показывается только до подтверждения.
work-totp-secret = Секрет (base32)
work-totp-uri = Ссылка для приложений-аутентификаторов
work-totp-confirm = Подтвердить код
work-totp-done = У этой учётной записи уже есть второй фактор. Если телефон утерян, попросите администратора сбросить его.
work-reauth-title = Подтвердите, что это вы
work-reauth-intro = Для этой страницы пароль и, если он у вас есть, код нужно вводить не реже чем раз в { $minutes ->
        [one] { $minutes } минуту
        [few] { $minutes } минуты
       *[other] { $minutes } минут
    }. Введите их снова.
work-reauth-failed = Неверный пароль или код.
work-reauth-go = Продолжить
work-lock = Заблокировать
work-lock-help = Завершить все сеансы и отозвать все токены API разом
work-lock-intro = Блокировка разом завершает все сеансы, включая ваш, и отзывает все токены API. Все входят заново; администраторы выдают новые токены. Используйте её, если устройство или пароль могли попасть в чужие руки.
work-locked-title = Заблокировано
work-locked-text = Завершено сеансов: { $sessions }. Отозвано токенов API: { $tokens }. Чтобы продолжить, войдите снова.
work-handler = Хранитель
work-totp = Второй фактор
work-yes = да
work-no = нет
work-make-handler = Сделать хранителем
work-unmake-handler = Больше не хранитель
work-totp-on = настроен
work-totp-off = не настроен
work-totp-owed = обязателен, настройка при следующем входе
work-reset-totp = Сбросить

# Search (public records only)
nav-search = Поиск
search-label = Имя, место или слово
search-button = Найти
search-hint = Имя можно писать кириллицей или латиницей: написания находят друг друга. Поиск идёт только по открытой части архива.
search-none = В открытой части архива нет записей со всеми этими словами.
search-count = { $count ->
    [one] Найдена { $count } открытая запись.
    [few] Найдено { $count } открытые записи; показаны первые { $shown }.
    [many] Найдено { $count } открытых записей; показаны первые { $shown }.
   *[other] Найдено { $count } открытой записи; показаны первые { $shown }.
}

# Запечатанные записи (только для хранителей разделов).
work-sealed = Запечатанные записи
work-sealed-none = У вас нет ключа ни к одному разделу. Запечатанные записи открывают только хранители: хранитель раздела выдаёт доступ командой `qantar seal grant`, а администратор отмечает учётную запись как хранителя. Одна роль доступа не даёт.
work-sealed-intro = Разделы, к которым у вас есть доступ, и запечатанные записи в них. Здесь показано только то, что журнал хранит открыто; чтобы прочитать запись, откройте её. Каждое открытие записывается в журнал с вашим именем.
work-compartments = Ваши разделы
work-compartment = Раздел
work-handlers = Хранители
work-sealed-count = Записей
work-sealed-records = Запечатанные записи в них
work-created = Записано
work-sealed-record = Запечатанная запись
work-unseal = Открыть запись
work-unseal-warning = Открытие этой записи добавляет в журнал запись о том, что вы её прочитали. Содержимое показывается только на этой странице, сервер его не хранит, и оно исчезнет, когда вы уйдёте со страницы.
work-unseal-limited = Слишком много неверных паролей или файлов ключа для этой учётной записи или адреса. Подождите 15 минут и попробуйте снова.
work-unseal-wrong = Пароль или файл ключа не открывает ваш доступ к разделу { $compartment }. Проверьте и попробуйте снова; ничего не было открыто или записано.
work-unseal-need-passphrase = Ваш доступ к разделу { $compartment } открывается паролем: введите его.
work-unseal-need-key-file = Ваш доступ к разделу { $compartment } открывается файлом ключа: выберите файл.
work-unseal-bad-key-file = Этот файл не является целым файлом ключа. Выберите неповреждённую копию вашего файла ключа для раздела { $compartment }.
work-unsealed-audited = Это прочтение записано в журнал под вашим именем. Закройте страницу, когда закончите; ничего из неё не сохраняется.
work-sealed-back = К запечатанным записям
work-seal-legend = Запечатать конфиденциальную запись
work-seal-help = Этот архив запечатывает конфиденциальные записи. Чтобы внести такую запись, выберите один из ваших разделов и введите пароль (или выберите файл ключа). Записи, которые не конфиденциальны, сохраняются как обычно, и эти поля не используются.
work-seal-compartment = Раздел
work-seal-passphrase = Ваш пароль к этому разделу
work-seal-key-file = Или ваш файл ключа

## Evidence files on a record's page
evidence-files = Файлы
evidence-none = К этой записи не приложено файлов.
evidence-sealed-count = Запечатанных файлов: { $count }. Их имена, типы, размеры и хеши находятся в запечатанной части; открывайте их по одному своим паролем.
evidence-n = №
evidence-type = Тип
evidence-size = Размер (байт)
evidence-sha = SHA-256
evidence-original = Оригинал
evidence-public-copy = Публичная копия
evidence-download = Скачать
evidence-no-public-copy = нет
evidence-erased = стёрт
evidence-add = Приложить файл
evidence-add-note = Оригинал хранится в архиве только для рабочего пространства.
evidence-add-public-note = Эта запись публичная: публикуется копия без метаданных (координат GPS, серийных номеров камеры, автора), а оригинал остаётся в рабочем пространстве. Поддерживаемые типы: JPEG, PNG, WebP, TIFF, PDF, DOCX, HEIC, MP4/MOV.
evidence-add-sealed-note = Эта запись запечатана: файл шифруется до сохранения и не получает публичной копии. Укажите свой пароль или файл ключа к её разделу.
evidence-file = Файл (не больше { $mib } МиБ)
evidence-captured = Дата съёмки (необязательно: ГГГГ-ММ-ДД или 2022-01-05T14:20:00+06:00)
evidence-attach = Приложить
evidence-refused-title = Файл не приложен
evidence-no-file = Выберите файл. Ничего не сохранено.
evidence-empty = Файл пуст. Выберите файл ещё раз. Ничего не сохранено.
evidence-too-large = Файл больше { $mib } МиБ. Приложите его командой `qantar evidence add` на сервере. Ничего не сохранено.
evidence-back = Назад к записи
evidence-open-title = Открыть запечатанный файл
evidence-open-warning = Открытие файла записывает в реестр запись с вашим именем как читателя. Файл передаётся вашему браузеру для скачивания и не хранится на сервере.
evidence-open = Скачать файл

# Consent form
work-new-consent = Новое согласие
field-subject = Чьё согласие (человек или показания: id или ref)
field-audience = Кому можно показывать
field-identity = С именем или анонимно
field-given-on = Дата согласия (ГГГГ-ММ-ДД)
field-partners = Каким партнёрам (если только партнёрам)
field-method = Как дано согласие

# Redaction
work-redact = Публичная версия
work-redact-text = Добавить публичную версию этой записи без идентифицирующих полей (имён, даты рождения, места жительства, названия, автора и адреса источника…); сама запись не меняется. Согласия учитываются.
work-redact-button = Опубликовать обезличенную версию
