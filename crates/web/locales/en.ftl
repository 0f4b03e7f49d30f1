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
kind-consent = Consent records

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

## Review of record linkage, list import and the register (workspace).
work-review = Review pairs
work-register = Register
work-import = Import a list
review-same = Same person
review-different = Different people
review-unsure = Not sure
review-run-now = Run linkage now
review-recorded = Decision recorded: { $verdict }. It takes effect at the next linkage run.
review-no-run = No linkage has been run on this archive yet, so there is no register and nothing to review.
review-run-info = Linkage run { $run }, made at { $time }.
review-next-run = Decisions are recorded at once but change the register only at the next linkage run.
review-stale = { $count ->
    [one] { $count } ledger entry was written after this run: the register may be out of date.
   *[other] { $count } ledger entries were written after this run: the register may be out of date.
}
review-low = Lowest match probability
review-high = Highest match probability
review-show = Show
review-empty = No pair in this range is waiting for a decision.
review-archive-list = This archive's own records
review-list-hidden = a list you may not see
review-list = List
review-cells = Cells as the list wrote them
review-fields = Fields
review-explanation = Why the model scored this pair so
review-comparison = Comparison
review-level = Result
review-agreed = For a match?
review-bits = Weight (bits)
review-prior = Before any comparison
review-agreed-yes = yes
review-agreed-no = no
review-pair = Pair { $n }
review-score = Match probability { $probability }, weight { $weight } bits.
review-deferred = A reviewer was not sure about this pair earlier.
review-reason = Reason (optional)
review-bad-decision = The decision needs two different records and one of: same person, different people, not sure.
review-run-done = Linkage run
review-run-failed = The linkage could not run: the archive holds no list entries or victims to link yet. Import a list first.
review-sum-run = Run
review-sum-records = Records linked
review-sum-persons = Persons in the register
review-sum-linked = Persons named by more than one record
review-sum-candidates = Candidate pairs compared
review-sum-matched = Pairs joined
review-sum-to-review = Pairs to review
review-sum-same = Decisions "same person" applied
review-sum-different = Decisions "different people" applied
review-sum-unsure = Pairs deferred
review-sum-sealed = Sealed records left out of linkage
import-intro = Upload a list of people as CSV (any common encoding and delimiter), XLSX or JSON, at most { $mib } MiB. You will see the first rows and choose what each column holds before anything is imported. The file is kept in memory only until it is imported.
import-file = File
import-preview = Upload and preview
import-too-large = The file is larger than { $mib } MiB. Split it into smaller files, or import it with `qantar import` on the server.
import-not-multipart = The upload did not arrive as a file form. Choose a file and press the button again.
import-no-rows = The file has no rows under its header: it is not a list this page can read. Export the list as CSV or XLSX with one person per row.
import-no-file = Choose a file to upload.
import-format = Format
import-encoding = Encoding
import-delimiter = Delimiter
import-warnings = Warnings
import-columns = Columns
import-preview-caption = The first { $count } rows as read. Choose above each column what it holds.
import-line = Line
import-map-column = What column { $column } holds
import-ignore = ignore
import-as-text = text: { $column }
import-source-new-option = (a new list, titled below)
import-source-defaults = The list and defaults
import-source = List (source)
import-source-new = Or a new list titled
import-default-act-type = What happened to everyone on the list
import-default-status = Status of everyone on the list
import-default-date = Date for every row (when no column gives one)
import-run = Import
import-upload-gone = The uploaded file is no longer here (it is kept for an hour, in one server process). Upload it again.
import-no-mapping = Choose what at least one column holds.
import-no-source = Choose the list's source or give a title for a new one.
import-bad-date = { $date } is not a date; write for example 2022-01-05, 2022-01 or 2022.
import-done = Import finished
import-rows-read = Rows read
import-imported = Imported
import-already = Already in the archive
import-bad-rows = Rows not imported
import-places = Places recognised
import-unrecognised = Values kept but not recognised
import-field = Field
import-value = Value
import-rows = Rows
import-then-link = The new rows join the register at the next linkage run.
import-another = Import another list
register-intro = The register as of linkage run { $run } ({ $time }): { $persons } persons.
register-overlaps = List overlaps
register-by-none = All together
register-by-region = By region
register-by-act-type = By act type
register-by-period = By month
register-download = Download overlaps.json (for qantar estimate)
register-stratum = { $name }: { $count } persons
register-count = Persons
register-persons = Persons
register-person = Person
register-lists = Named by
register-records = Records

## Estimates on the Numbers page.
numbers-est-title = Documented and estimated
numbers-est-what = Several organisations kept their own lists of victims. When the same person appears on more than one list, the lists overlap, and the size of those overlaps tells how many people were probably missed by every list: if the lists share many names, few people were missed; if they share few, many were. This is called multiple systems estimation.
numbers-est-floor = The documented count is the number of distinct people on at least one list after matching. It is a floor: the true number is at least this.
numbers-est-interval = The interval is a 95% range: the data are consistent with any number inside it. A wide interval means the lists say little about whom they missed.
numbers-est-caveats = The estimate can be wrong when lists are not independent (one list copied from another, or some people far easier to record than others), when some people could not appear on any list at all, and when the matching of names across lists joins different people or misses the same person.
numbers-est-none = There is no estimate yet: the lists have not been matched against each other.
numbers-est-pending = The estimate for the latest matching of the lists is being computed. Reload the page in a minute.
numbers-est-failed = The estimate could not be computed for the latest matching of the lists.
numbers-est-caption = Documented and estimated number of victims, for the whole and by region
numbers-est-col-area = Area
numbers-est-col-documented = Documented
numbers-est-col-estimate = Estimated
numbers-est-col-interval = Range
numbers-est-interval-value = { $low } to { $high } ({ $level }%)
numbers-est-chart = Documented (bar) and estimated (point, with its range) number of victims
numbers-est-documented-n = { $count ->
    [one] { $count } person documented
   *[other] { $count } people documented
}
numbers-est-point = estimated { $estimate }, range { $low } to { $high }
numbers-est-no-figure = No estimate can be given from these lists.
numbers-est-no-figure-short = no estimate (see the table)
numbers-est-legend = Bar: documented. Point and line: estimate and its range.
numbers-est-whole = All regions
numbers-est-unknown-region = Region not known
numbers-est-hidden-region = Another region
numbers-warn-few-lists = Fewer than three lists name people here; at least three are needed to estimate whom they all missed.
numbers-warn-no-records = No one is documented here.
numbers-warn-few-records = Few people are documented here, so the estimate is very uncertain.
numbers-warn-no-overlap = No one here is on more than one list, so no estimate is possible.
numbers-warn-sparse = Too few people here are on more than one list for a reliable estimate.
numbers-warn-empty-list = Some lists name no one here and were left out.
numbers-warn-never-overlap = Some pairs of lists share no one here.
numbers-warn-boundary = Some models could not be fitted within their limits and were set aside.
numbers-warn-unbounded = Some models give no finite estimate and were set aside.
numbers-warn-open-interval = The data set no upper limit on the number here.
numbers-warn-not-estimable = The model cannot be estimated from these data.
numbers-warn-too-many-lists = There are too many lists here for the method used.
numbers-warn-method = The estimating methods disagree here.

# Account security: second factor, re-authentication, lock.
work-code-title = Second factor
work-code-intro = Enter the six-digit code your authenticator app shows for this account.
work-code = Code
work-code-failed = The code is wrong, too old, or was already used. Enter the code the app shows now.
work-totp-title = Set up a second factor
work-totp-intro = Administrators and handlers log in with a password and a code from an authenticator app (for example Aegis or FreeOTP). Add the secret below to the app, by typing it or by importing the link, then enter the code the app shows. The secret is shown only until you confirm it.
work-totp-secret = Secret (base32)
work-totp-uri = Link for authenticator apps
work-totp-confirm = Confirm the code
work-totp-done = This account already has a second factor. If the phone is lost, ask an administrator to reset it.
work-reauth-title = Confirm it is you
work-reauth-intro = This page needs your password, and your code if you use one, given within the last { $minutes } minutes.
work-reauth-failed = The password or the code is wrong.
work-reauth-go = Continue
work-lock = Lock
work-lock-help = End every session and revoke every API token at once
work-lock-intro = Locking ends every session, yours included, and revokes every API token at once. Everyone logs in again; administrators issue new tokens. Use it when a device or a password may be in the wrong hands.
work-locked-title = Locked
work-locked-text = Sessions ended: { $sessions }. API tokens revoked: { $tokens }. Log in again to continue.
work-handler = Handler
work-totp = Second factor
work-yes = yes
work-no = no
work-make-handler = Make a handler
work-unmake-handler = No longer a handler
work-totp-on = set up
work-totp-off = not set up
work-totp-owed = required, set up at next login
work-reset-totp = Reset

# Search (public records only)
nav-search = Search
search-label = Find a name, place or word
search-button = Search
search-hint = Type a name in any script: Cyrillic and Latin spellings find each other. Only the public record is searched.
search-none = Nothing in the public record matches every word.
search-count = { $count ->
    [one] One public record matches.
   *[other] { $count } public records match; the first { $shown } are listed.
}

# Sealed records (handlers of compartments only).
work-sealed = Sealed records
work-sealed-none = You hold no key to any compartment. Sealed records are opened only by handlers: a handler of a compartment grants it with `qantar seal grant`, and an administrator flags the account as a handler. Roles alone give no access.
work-sealed-intro = The compartments you hold a grant in, and the sealed records in them. Only what the ledger shows in clear is listed here; open a record to read it. Every opening is written to the ledger with your name.
work-compartments = Your compartments
work-compartment = Compartment
work-handlers = Handlers
work-sealed-count = Records
work-sealed-records = Sealed records in them
work-created = Recorded
work-sealed-record = Sealed record
work-unseal = Open the record
work-unseal-warning = Opening this record writes an entry to the ledger naming you as its reader. The content is shown on this page only, is not stored by the server, and is gone when you leave the page.
work-unseal-limited = Too many wrong passphrases or key files for this account or address. Wait 15 minutes and try again.
work-unseal-wrong = The passphrase or key file does not open your grant in compartment { $compartment }. Check it and try again; nothing was opened or written.
work-unseal-need-passphrase = Your grant in compartment { $compartment } opens with a passphrase: type it.
work-unseal-need-key-file = Your grant in compartment { $compartment } opens with a key file: choose the file.
work-unseal-bad-key-file = That file is not an intact key file. Choose an intact copy of your key file for compartment { $compartment }.
work-unsealed-audited = This reading has been recorded in the ledger under your name. Close the page when you are done; nothing of it is kept.
work-sealed-back = Back to the sealed records
work-seal-legend = Seal a confidential record
work-seal-help = This archive seals confidential records. To record one, choose one of your compartments and give your passphrase (or your key file). Records that are not confidential are written as usual, and these fields are ignored.
work-seal-compartment = Compartment
work-seal-passphrase = Your passphrase for this compartment
work-seal-key-file = Or your key file

## Evidence files on a record's page
evidence-files = Files
evidence-none = No files are attached to this record.
evidence-sealed-count = Sealed files: { $count }. Their names, types, sizes and hashes are inside the sealed part; open them one by one with your passphrase.
evidence-n = No.
evidence-type = Type
evidence-size = Size (bytes)
evidence-sha = SHA-256
evidence-original = Original
evidence-public-copy = Public copy
evidence-download = Download
evidence-no-public-copy = none
evidence-erased = erased
evidence-add = Attach a file
evidence-add-note = The original is kept in the archive for the workspace only.
evidence-add-public-note = This record is public: a copy stripped of metadata (GPS position, camera serial numbers, author) is published, and the original stays in the workspace. Supported types: JPEG, PNG, WebP, TIFF, PDF, DOCX, HEIC, MP4/MOV.
evidence-add-sealed-note = This record is sealed: the file is encrypted before it is stored, and gets no public copy. Give your passphrase or key file for its compartment.
evidence-file = File (at most { $mib } MiB)
evidence-captured = Captured on (optional: YYYY-MM-DD or 2022-01-05T14:20:00+06:00)
evidence-attach = Attach
evidence-refused-title = The file was not attached
evidence-no-file = Choose a file to attach. Nothing was stored.
evidence-empty = The file is empty. Choose the file again. Nothing was stored.
evidence-too-large = The file is larger than { $mib } MiB. Attach it with `qantar evidence add` on the server. Nothing was stored.
evidence-back = Back to the record
evidence-open-title = Open a sealed file
evidence-open-warning = Opening this file writes an entry to the ledger naming you as its reader. It is sent to your browser as a download and is not kept by the server.
evidence-open = Download the file

# Consent form
work-new-consent = New consent record
field-subject = Whose consent (the person or testimony: id or ref)
field-audience = Who may see it
field-identity = Named or anonymised
field-given-on = Given on (YYYY-MM-DD)
field-partners = Which partners (when only partners may see it)
field-method = How it was given

# Redaction
work-redact = Public version
work-redact-text = Append a public version of this record with its identifying fields (names, birth date, residence, a source's title, author and address…) dropped or replaced; this record stays as it is. Consent records are obeyed.
work-redact-button = Publish a redacted version
