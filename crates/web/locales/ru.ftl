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
