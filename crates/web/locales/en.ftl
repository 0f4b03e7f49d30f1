# English interface strings. Every key here must also be in kk.ftl and ru.ftl
# (a test checks). Record contents are not translated here: they carry their
# own per-language values.

site-name = Qandy Qantar register
lang-name = English
skip-to-content = Skip to content
nav-label = Main menu
lang-switch-label = Language
nav-home = Home
nav-people = People
nav-timeline = Timeline
nav-map = Map
nav-numbers = Numbers
nav-accountability = Accountability
nav-sources = Sources
footer-public-only = This site shows only records that their documenters have made public. It loads nothing from other sites and needs no JavaScript.
footer-api = JSON API (OpenAPI description)

home-title = Bloody January 2022: a public register
home-intro = A register of the people killed, injured, detained and tortured during and after the events of January 2022 in Kazakhstan, of what happened to them, and of what the authorities did about it. Every fact names its source.
home-no-js = Conflicting figures are shown side by side, never averaged.

count-persons = { $count ->
    [one] { $count } person
   *[other] { $count } people
}
count-acts = { $count ->
    [one] { $count } documented act
   *[other] { $count } documented acts
}
count-sources = { $count ->
    [one] { $count } public source
   *[other] { $count } public sources
}
count-entries = { $count ->
    [one] { $count } entry
   *[other] { $count } entries
}

people-none = No person's record is public yet.
person-other-names = Also written as
person-age = Age
person-age-years = { $age ->
    [one] { $age } year
   *[other] { $age } years
}
person-age-as-of = as of
person-born = Born
person-occupation = Occupation
person-residence = Lived in
person-status = Status
person-roles = Roles
person-portrait = Portrait
person-what-happened = What happened
person-no-acts = No act against this person is documented in public.
person-proceedings = Proceedings and outcome
person-no-proceedings = No complaint or case is documented in public.
person-relatives = Relatives and links
person-no-relatives = No relatives are documented in public.
relation-is-of = This person is the
proceeding-charge = Charge
proceeding-course = Course
act-means = Means
act-outcomes = Consequences
act-perpetrators = Perpetrators
content-warning = Content warning: description of violence. Open to read.
label-sources = Sources
no-public-source = no public source

date-unknown = Date unknown
date-day = { $day } { $month } { $year }
date-month = { $month } { $year }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

timeline-intro = Day by day through January 2022, then month by month through the proceedings that followed.
timeline-empty = Nothing public matches these filters.
timeline-event = Event
filter-city = City
filter-act-type = Type of act
filter-all = All
filter-apply = Show

map-intro = Each circle is a city; its size follows the number of documented acts there. Select a city to see its timeline.
map-title = Documented acts by city
map-desc = Outline map of Kazakhstan with a circle for each city, sized by the number of documented acts.
map-list = Cities

numbers-intro = Each figure that an official or a source has claimed appears with who said it, when, and the source. Where sources disagree, the range is shown. The register's own count is the number of people with a public documented act of that kind; it is a floor, not an estimate.
numbers-none = No public count claim yet.
numbers-whole-country = Kazakhstan as a whole
numbers-caption = Claims: { $metric }, { $place }
numbers-col-value = Figure
numbers-col-claimant = Who said it
numbers-col-date = When
numbers-superseded = superseded
numbers-unattributed = Unattributed
numbers-range = Sources disagree: from { $low } to { $high }.
numbers-range-open = Sources disagree: from { $low } to more.
numbers-documented = { $count ->
    [one] Documented in this register: { $count } person.
   *[other] Documented in this register: { $count } people.
}
numbers-register = This register

acc-intro = Complaints about killings and torture, the cases opened against victims and against officers, and how they ended, counted from the public records.
acc-complaints = Complaints filed
acc-cases-victims = Cases against victims
acc-cases-officers = Cases against officers
acc-amnesties = Amnesties
acc-share = { $complaints ->
    [one] { $prosecuted } of { $complaints } complaint led to a prosecution ({ $percent }%).
   *[other] { $prosecuted } of { $complaints } complaints led to a prosecution ({ $percent }%).
}
acc-outcomes = Current status of each proceeding
acc-none = No proceeding is documented in public.
acc-all = All proceedings

sources-intro = Each public source, and what in the register it supports.
sources-none = No source is public yet.
source-kind = Kind
source-author = Author
source-published = Published
source-reliability = Reliability
source-url = Address
source-reported-in = Reported in
source-supports = What it supports
source-supports-nothing = Nothing public cites it yet.
kind-person = People
kind-event = Events
kind-act = Acts
kind-place = Places
kind-source = Sources
kind-claim = Claims
kind-proceeding = Proceedings
kind-relationship = Relationships
kind-list_entry = List entries
kind-link_decision = Link decisions

not-found-title = Page not found
not-found-text = There is no public page at this address.
error-title = Something went wrong
error-text = The archive could not be read. Please try again later.

# The documenters' workspace (/workspace/).
work-name = qantar workspace
work-records = Records
work-public-site = Public site
work-logout = Log out
work-login = Log in
work-login-failed = The account name or the password is wrong.
work-login-limited = Too many failed logins for this account or address. Wait 15 minutes and try again.
work-account-name = Account name
work-password = Password (at least 10 characters)
work-forbidden-title = Not allowed
work-forbidden-text = Your role does not allow this. Ask an administrator if you need it.
work-csrf-title = Form expired
work-csrf-text = This form could not be verified as coming from this site. Go back, reload the page and send it again.
work-no-record = There is no such record, or you may not see it. Check the id.
work-setup-title = Create the first administrator
work-setup-intro = This archive has no accounts yet. Choose the name and password of its first administrator. This link works once.
work-setup-used = This link has expired or was already used. Ask the operator for a new one, or use `qantar user add`.
work-create-admin = Create the administrator
work-filter-kind = Kinds of record
work-all-kinds = All kinds
work-count-records = { $count ->
    [one] { $count } record
   *[other] { $count } records
}
work-label = Record
work-kind = Kind
work-id = Id
work-confidentiality = Confidentiality
work-version = Version
work-updated = Last changed
work-retracted = retracted
work-history = History
work-edit = Correct
work-public-profile = Public profile
work-set-confidentiality = Change confidentiality
work-save = Save
work-retract = Retract
work-reason = Reason
work-seq = Entry
work-time = Time
work-author = Author
work-entry-kind = Change
work-changed = Fields changed
work-new-person = New person
work-new-source = New source
work-new-act = New act
work-new-json = New record (JSON)
work-form-errors = Nothing was saved. Correct the fields marked below.
work-json = Record JSON
work-json-help = Paste one record, or a list of records that may refer to each other by ref, in the format of docs/record-format.md. Any kind of record can be entered here.
work-patch = Changes (JSON merge patch)
work-patch-help = Write only the fields to change, as a JSON object; set a field to null to remove it. The kind and id cannot change.
work-current = The record now
work-ledger = Ledger
work-ledger-size = Entries
work-verify = Verification
work-verify-ok = The ledger verifies: every entry, hash and checkpoint signature is intact.
work-verify-failed = The ledger does NOT verify. Stop writing and tell the operator.
work-root = Tree root
work-checkpoint = Latest signed checkpoint
work-checkpoint-at = At { $size } entries:
work-no-checkpoint = No checkpoint has been signed yet.
work-accounts = Accounts
work-role = Role
work-remove = Remove
work-add-account = Add an account
work-new-token = Create an API token
work-token-help = A token lets a program write through /api/v1 with the account's role. It is shown once; keep it secret.
work-token-label = What the token is for
work-token-once = Here is the new token. Copy it now: it will not be shown again.
role-viewer = viewer
role-analyst = analyst
role-editor = editor
role-admin = administrator
conf-public = public
conf-restricted = restricted
conf-confidential = confidential
field-name = Name
field-name-lang = Language of the name
field-ref = Short handle (ref)
field-sex = Sex
field-status = Status
field-birth-date = Date of birth
field-occupation = Occupation
field-residence = Place of residence
field-sources = Sources
field-notes = Notes for documenters
field-title = Title
field-source-kind = Kind of source
field-author = Author
field-url = Web address
field-published = Published
field-language = Language (BCP 47, e.g. ru)
field-reliability = Reliability
field-act-type = Type of act
field-victim = Victim
field-date = Date
field-place = Place
field-description = Description
page-previous = ← Previous page
page-next = Next page →
page-position = Page { $page } of { $pages }
