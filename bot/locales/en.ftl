# Vigie's messages in English. Every message here must exist in fr.ftl and es.ftl too (a test
# checks). Replies are Markdown. Keep each error one sentence: the problem, then what is expected.

## Commands and their options (help, and Discord's command descriptions: at most 100 characters)

cmd-help = Show the commands, or help on one command.
cmd-windows = List political opportunity windows open or opening soon.
cmd-window-show = Show one window: dates, priority, labels, why, who follows it up.
cmd-window-claim = Claim a window: you follow it up.
cmd-window-release = Release a window you claimed, so someone else can take it.
cmd-window-note = Add a note to a window: what was done, who was met.
cmd-window-done = Mark a window as done.
cmd-window-snooze = Snooze a window's reminders for a while.
cmd-calendar = List calendar events: elections, new governments, OGP deadlines.
cmd-member = Show an OGP member: status, history, action plan, coming events.
cmd-feeds = Show the health of every feed.
cmd-feeds-sync = Sync feeds now.
cmd-rules-check = Check the rule files.
cmd-rules-reload = Reload the rule files; the last good rules stay if they are broken.
cmd-rules-test = Show which records a rule matches today.
cmd-subscribe = Make this room follow a country, a region or a theme.
cmd-unsubscribe = Stop this room following a country, a region or a theme.
cmd-subscriptions = List what this room follows.
cmd-peers-list = List the admins and steering-committee peers.
cmd-peers-add = Add a peer or an admin, or change their role, region, country or organisation.
cmd-peers-remove = Remove a peer or an admin.
cmd-language = Show or choose the language Vigie answers you (or this room) in.

opt-command = the command to explain
opt-scope = a country, a region or a theme
opt-within = how far ahead to look (default 90 days)
opt-at = the day to look from: time travel
opt-id = the window's id, as `windows` lists it
opt-text = the text of the note
opt-duration = how long
opt-country = the country
opt-from = the first day
opt-to = the last day
opt-feed = the feed (all feeds without it)
opt-rule = the rule's name
opt-topic = what to follow
opt-user = the person
opt-role = their role (default peer)
opt-region = their region
opt-language = the language
opt-room = for the whole room (admins)

## What each kind of value looks like

expect-text = some text
expect-window-id = a window id: w- and 12 hexadecimal digits, such as w-2aa8f74113a8
expect-country = a country code such as KE, or a subdivision such as ES-MD
expect-scope = a country code (KE), a region (africa-middle-east, americas, asia-pacific, europe) or a theme (political-transition)
expect-topic = country:CODE, region:REGION or theme:THEME, such as country:KE
expect-duration = a duration from a minute to ten years, such as 7d, 12h or 2w
expect-date = a day written YYYY-MM-DD, such as 2026-05-01
expect-user = a person such as @alice:example.org or discord:123456789012345678
expect-role = admin or peer
expect-region = a region: africa-middle-east, americas, asia-pacific or europe
expect-language = a language: en, fr or es
expect-feed = a feed's name, as `feeds` lists them
expect-rule = a rule's name, as `rules check` lists them
expect-command = a command's name, as `help` lists them
expect-switch = nothing: it is a switch

## Help

help-title = Vigie's commands
help-footer = Type `help COMMAND` for details, such as `help window claim`. ◆ marks commands for steering-committee peers, ★ for admins.
help-usage = Usage:
help-who = Who may run it: { $level ->
    [admin] admins (the secretariat).
    [peer] steering-committee peers and admins.
   *[anyone] anyone.
}

## Errors

err-empty = There is no command here; type `help` for the list.
err-unclosed-quote = A quote is opened and never closed; close it, or write the text without quotes.
err-unknown-command = “{ $given }” is not a command; { $suggestion ->
    [none] type `help` for the list.
   *[other] did you mean `{ $suggestion }`?
}
err-unknown-subcommand = { $given ->
    [none] `{ $root }` needs one more word
   *[other] `{ $root } { $given }` is not a command
}; { $suggestion ->
    [none] expected one of { $choices }.
   *[other] did you mean `{ $root } { $suggestion }`?
}
err-missing = `{ $command }` needs { $option }; expected `{ $usage }`.
err-too-many = `{ $command }` does not take “{ $extra }”; expected `{ $usage }`.
err-unknown-option = `{ $command }` has no option { $given }; { $suggestion ->
    [none] expected `{ $usage }`.
   *[other] did you mean { $suggestion }?
}
err-no-value = The option --{ $option } needs a value; expected `{ $usage }`.
err-repeated = The option --{ $option } is given twice; expected it once: `{ $usage }`.
err-invalid = “{ $given }” is not valid here; expected { $expected }.
err-refused = `{ $command }` is for { $level ->
    [admin] admins (the secretariat)
   *[peer] steering-committee peers
}; ask an admin to add you with `peers add`.
err-internal = Something went wrong inside Vigie and nothing was changed; the secretariat can find it in the logs under reference { $reference }.
notice-undecryptable = I could not decrypt that message; please send it again, and if this keeps happening, re-invite me to the room.

## Windows

state-upcoming = upcoming
state-open = open
state-closing = closing
state-closed = closed
state-cancelled = cancelled
state-moved = moved
priority-low = low
priority-normal = normal
priority-high = high
priority-urgent = urgent

windows-none = No window is open or opening within { $days } days of { $today }.
windows-title = { $count ->
    [one] One window
   *[other] { $count } windows
} open or opening within { $days } days of { $today }:
windows-more = …and { $count } more; narrow the list with a country, a region or a theme.
window-line = `{ $id }` **{ $title }** — { $state }, { $opens } → { $closes }, priority { $priority }
window-line-claimed = , claimed by { $user }
window-line-done = , done by { $user }
window-unknown = There is no window { $id } as of { $today }; `windows` lists the current ones.
window-show-state = State: { $state } · priority { $priority } · rule `{ $rule }`
window-show-dates = Opens { $opens }, closing from { $closing }, closes { $closes }{ $estimated ->
    [yes] {" "}(estimated dates)
   *[no] {""}
}
window-show-labels = Labels: { $labels }
window-show-why = Why:
window-show-claimed = Claimed by { $user } on { $at }.
window-show-unclaimed = Nobody has claimed it yet: `window claim { $id }`.
window-show-done = Done, marked by { $user } on { $at }.
window-show-snoozed = Snoozed until { $until } by { $user }.
window-show-notes = Notes:

claim-ok = You have claimed `{ $id }` ({ $title }): you follow it up. Record progress with `window note { $id } …`, and close it with `window done { $id }`.
claim-already-yours = You have already claimed `{ $id }`.
claim-taken = `{ $id }` is already claimed by { $user }; ask them, or an admin, to release it first.
release-ok = You have released `{ $id }`; someone else may claim it now.
release-not-claimed = `{ $id }` is not claimed, so there is nothing to release.
release-not-yours = `{ $id }` is claimed by { $user }, not by you; only they or an admin can release it.
note-ok = Note added to `{ $id }`.
note-too-long = The note is longer than { $max } characters; expected a shorter note.
done-ok = `{ $id }` is marked done. Thank you!
done-already = `{ $id }` was already marked done.
snooze-ok = `{ $id }` is snoozed until { $until }: no reminders before then.

## Calendar, members, feeds, rules

calendar-none = No event in { $country } from { $from } to { $to }.
calendar-title = { $count ->
    [one] One event
   *[other] { $count } events
} in { $country } from { $from } to { $to }:
calendar-more = …and { $count } more; narrow the dates with --from and --to.
calendar-backwards = The last day { $to } comes before the first day { $from }; expected --to on or after --from.
member-unknown = { $country } is not an OGP member Vigie knows; `calendar { $country }` shows its elections.
member-title = **{ $name }** ({ $code }), { $level } member in { $region }
member-status = Status: { $status } since { $since }
member-plan = Action plan: { $start } → { $end }
member-history = Status history:
member-events = { $count ->
    [0] No coming event known.
    [one] One coming event:
   *[other] { $count } coming events:
}
feeds-title = Feeds:
feed-line = `{ $name }` ({ $kind }): { $state }, { $items } items, last success { $success }
feed-ok = working
feed-failing = failing
feed-never = never synced
feed-error = last error: { $error }
feeds-unknown = There is no feed named “{ $name }”; expected one of { $names }.
feeds-sync-synced = { $items } items: { $added } added, { $changed } changed, { $removed } removed
feeds-sync-not-modified = not modified since the last sync
feeds-sync-failed = failed, the last good data is kept: { $error }
rules-ok = The rule files are valid: { $count } rules.
rules-errors = The rule files have { $count ->
    [one] one problem
   *[other] { $count } problems
}:
rules-reloaded = The rules are reloaded: { $count } rules are in force.
rules-unchanged = The rule files have not changed: { $count } rules are in force.
rules-kept = The rule files cannot be loaded, so the last good rules stay in force:
rules-test-unknown = There is no rule named “{ $rule }”; expected one of { $names }.
rules-test-title = Rule `{ $rule }` matches { $count } records as of { $today }:

## Rooms, people, languages

subscribe-ok = This room now follows { $topic }.
subscribe-already = This room already follows { $topic }; nothing changed.
unsubscribe-ok = This room no longer follows { $topic }.
unsubscribe-absent = This room does not follow { $topic }; `subscriptions` lists what it follows.
subscriptions-none = This room follows nothing yet; try `subscribe region:europe`.
subscriptions-title = This room follows:
peers-none = There are no peers or admins yet; an admin adds them with `peers add`.
peers-title = Admins and peers:
peer-line = { $user }: { $role ->
    [admin] admin
   *[peer] peer
}{ $region ->
    [none] {""}
   *[other] , { $region }
}
peers-added = { $user } is now { $role ->
    [admin] an admin
   *[peer] a peer
}{ $region ->
    [none] .
   *[other] {" "}for { $region }.
}
peers-removed = { $user } is no longer a peer or an admin.
peers-absent = { $user } is not a peer or an admin; `peers list` lists them.
peers-remove-self = You cannot remove yourself; ask another admin.
lang-en = English
lang-fr = French
lang-es = Spanish
language-show = I answer you in { $language } (your choice: { $user }; this room's: { $room }). Choose with `language fr` for you, or `language fr --room` for the room.
language-set-user = From now on I answer you in { $language }.
language-set-room = This room's language is now { $language }.

## Announcements (the console prints them as windows change)

announce-new = New window `{ $id }`: **{ $title }** — { $state }, { $opens } → { $closes }.
announce-state = Window `{ $id }` (**{ $title }**) is now { $state }: { $opens } → { $closes }.

## Alerts commands

cmd-silence = Silence the alerts that match, for a while, saying why.
cmd-silences = List the active silences.
cmd-unsilence = End a silence now.
cmd-digest-now = Show this room's digest now: the open and closing windows it follows.
cmd-why = Say whether and when a window will be notified in this room, and what mutes it.
cmd-audit = Show the latest changes people made, newest first.

opt-matchers = which alerts: matchers such as country=KE or region=~"europe|americas"
opt-reason = why, for everyone who asks
opt-silence-id = the silence's number, as `silences` lists it
opt-window = the window's id, as `windows` lists it
opt-why-room = the room (or person) to ask about; this room without it
opt-target = a window, a person, a room or silence:N (everything without it)

expect-matchers = label matchers such as country=KE, priority!=low or region=~"europe|americas"
expect-silence-id = a silence's number, as `silences` lists it, such as 3
expect-room = a room such as !abc:example.org, or a person such as @alice:example.org
expect-target = a window id, a person (@alice:example.org), a room (!abc:example.org) or silence:3

alerting-off = Alerts are not running in this Vigie; an admin turns them on in the [alerts] section of config.toml.
silence-ok = Silence #{ $id } is on until { $until }: alerts matching { $matchers } are not notified. End it early with `unsilence { $id }`.
silence-too-wide = { $matchers } would silence every alert; expected at least one matcher that alerts must have, such as country=KE or window=w-2aa8f74113a8.
silence-reason-too-long = The reason is longer than { $max } characters; expected a shorter reason.
silences-none = No silence is active; `silence country=KE 7d reason` silences a country's alerts for a week.
silences-title = { $count ->
    [one] One silence is
   *[other] { $count } silences are
} active:
silence-line = `#{ $id }` { $matchers } until { $until }, by { $author }: { $reason }
unsilence-ok = Silence #{ $id } is ended: the alerts it muted are notified again.
unsilence-over = Silence #{ $id } has already ended; nothing changed.
unsilence-unknown = There is no silence #{ $id }; `silences` lists the active ones.
why-this-room = this room
why-no-alert = `{ $id }` has no alert yet: alerts are made from upcoming, open and closing windows at each evaluation.
why-not-routed = `{ $id }` is not sent to { $room }: no route or subscription there matches it.
why-pending = `{ $id }` is not open yet: { $room } will be told when it opens.
why-muted = `{ $id }` is muted, so { $room } is not told about it.
why-due = `{ $id }` will be notified in { $room } at { $at }, { $reason ->
    [new] as a new alert.
    [update] as an update.
    [reminder] as a reminder.
   *[resolved] as resolved.
}
why-sent = { $room } was told about `{ $id }` on { $at }{ $next ->
    [none] .
   *[other] ; the next reminder is due at { $next }.
}
why-finished = `{ $id }` resolved before { $room } was told it fired: there is nothing to send.
why-everything = everything
why-routes = Routes: { $routes }
why-mutes = What mutes or delays it:
why-mute-silence = silence `#{ $id }` by { $author } until { $until }: { $reason }
why-mute-inhibited = held back by alert `{ $by }`: { $why }
why-mute-quiet = the quiet hours of { $room }, until { $until }
why-elsewhere = It is also sent to { $receivers }.
audit-none = The audit log has nothing{ $target ->
    [none] {""}
   *[other] {" "}about { $target }
} yet.
audit-title = { $target ->
    [none] The latest changes
   *[other] The latest changes to { $target }
}, newest first:
audit-line = { $at }, { $actor }: `{ $action }` { $target }

## OGP regions

region-africa-middle-east = Africa and the Middle East
region-americas = The Americas
region-asia-pacific = Asia and the Pacific
region-europe = Europe

## Alerts sent to rooms (bot/src/alert/render.rs)

alert-heading = { $reason ->
    [new] **New alert**
    [update] **Alert update**
    [reminder] **Reminder**
   *[resolved] **Resolved**
} · { $count ->
    [one] one alert
   *[other] { $count } alerts
}
alert-mark-changed = new or changed
alert-mark-resolved = ended
alert-state-pending = pending
alert-state-firing = open
alert-state-resolved = ended
alert-priority = priority { $priority }
alert-claimed = claimed by { $user }
alert-unclaimed = nobody has claimed it
alert-member-status = member status { $status }
alert-stale = a feed behind it is failing: its dates may be out of date
alert-why-new = Why: { $count ->
    [one] a new alert
   *[other] { $count } new alerts
} for this room
alert-why-update = Why: { $count ->
    [one] one alert
   *[other] { $count } alerts
} appeared, changed or ended since the last message
alert-why-reminder = Why: a reminder, still open since the last message on { $since }
alert-why-resolved = Why: everything this room was told about in this group has ended
alert-why-route = sent here by route { $route } matching { $matchers }
alert-why-route-all = sent here by route { $route }, which takes every alert
alert-why-subscription = sent here because this room follows { $matchers }
alert-why-grouped = grouped by { $labels }
alert-hint-claim = To take a window: `{ $command }`, or react ✋ to this message.
alert-escalation-chair = { $mention }: nobody has claimed **{ $summary }** (`{ $id }`) in { $days } days since it opened. Could you find someone to take it?
alert-escalation-why-chair = Why: escalation, unclaimed { $after } after it opened, so the region's chair is asked.
alert-escalation-wider = Nobody has claimed **{ $summary }** (`{ $id }`) in { $days } days since it opened. Can anyone here take it?
alert-escalation-why-wider = Why: escalation, still unclaimed after the region's chair was asked.
alert-digest-heading = **Digest{ $name ->
    [none] {""}
   *[other] {" "}{ $name }
}** · { $count ->
    [0] no open window
    [one] one open window
   *[other] { $count } open windows
}
alert-digest-everything = Nothing in particular is routed to this room: every open window is listed.
alert-digest-none = No window is open.
alert-digest-why = Why: the digest schedule { $name } ({ $cron }, { $tz }), run of { $run }.
alert-digest-now-why = Why: asked with `digest now`.
alert-failure = **A message could not be delivered** to { $receiver } (outbox #{ $id }, { $reason }) after { $attempts } attempt(s): { $error }
alert-failure-why = Why: this room receives the reports of failed deliveries (alerts.admin_receivers).
alert-hint-claim-command = To take a window: `{ $command }`.
alert-react-claim-how = This message is about several windows (or none): take one with `{ $prefix } window claim ID`, giving the window's id.

## Awards (bot/src/chat/award/, bot/src/award/)

cmd-award-open = Open an award campaign for nominations: categories, method, seats, secrecy, deadlines, roll.
cmd-award-list = List the award campaigns.
cmd-award-show = Show an award campaign: its phase, categories, rules and schedule.
cmd-award-close = Take a campaign's next step now: close nominations and open voting, or close voting.
cmd-award-results = Show a closed campaign's winners, with a round-by-round summary.
cmd-award-export = Export a closed campaign's ballots as BLT files, to recount anywhere.
cmd-nominate = Nominate a person or an institution in a campaign's category, with a citation.
cmd-second = Second a nomination, so that it stands when nominations close.
cmd-withdraw = Withdraw a nomination you made (or that names you).
cmd-nominations = List a campaign's nominations with their seconds.
cmd-vote = Cast or change your ballot; the last one before the close counts.
cmd-recuse = Declare a conflict of interest with a nomination: you will not vote in its category.
cmd-turnout = Show how many have voted, without names.

opt-categories = the categories: slug, slug=Title, or slug:METHOD:SEATS=Title for its own method (one without it)
opt-method = the counting method (schulze without it; stv for several seats)
opt-seats = how many win in each category (default 1)
opt-seconds = seconds a nomination needs to stand (default 1)
opt-public = open ballots: votes may be shown with voters (secret without it)
opt-nominations-close = when nominations close (an admin closes them without it)
opt-voting-open = when voting opens (when nominations close without it)
opt-voting-close = when voting closes (an admin closes it without it)
opt-remind = remind those who have not voted this long before voting closes
opt-roll = the voter roll: only these people vote
opt-voter-region = only peers of this region vote
opt-title = the campaign's title
opt-campaign = the campaign's number, as `award list` shows it
opt-category = the category's slug
opt-nominee-country = the nominee's country or jurisdiction
opt-nominee = the nominee's name (in quotes when it has spaces)
opt-nominee-user = the nominee's own chat account, if they have one
opt-organisation = the nominee's organisation
opt-institution = the nominee is an institution, not a person
opt-replaces = edit this nomination of yours instead of making a new one
opt-citation = why they deserve it
opt-nomination = the nomination, such as #3 or 1#3
opt-ballot = [category] then your choices, such as #2 > #1 > #3 (see help vote)

expect-campaign = a campaign's number, as `award list` shows it, such as 1
expect-nomination = a nomination such as #3, or 1#3 for nomination 3 of campaign 1
expect-category = a category's slug: lower-case letters, digits and hyphens, such as champion
expect-categories = slugs separated by commas, each optionally with its method and seats and then a title, slug:METHOD:SEATS=Title, such as "champion:stv:3=Open Gov Champion, local:irv, best"
expect-method = plurality, approval, score (or score:5), star, borda, irv, stv, stv-meek, schulze or ranked-pairs
expect-count = a whole number from 0 to 100
expect-moment = a day (2027-03-01, at 00:00 UTC), a day and time in UTC (2027-03-01T18:00), or a delay such as 7d
expect-users = people separated by commas, such as @ana:example.org,@bo:example.org
expect-name = a name of 1 to 200 characters, in quotes when it has spaces

help-more-vote = A ballot is written by the category's method: ranked `#2 > #1 > #3` (or `#2 #1 #3`; Schulze and ranked pairs also take `#2 = #1 > #3`), approval `#1 #3`, score `#1=5 #2=3`, one choice `#2`. Start with the category's slug when the campaign has several: `vote 1 champion #2 > #1`.

award-name = “{ $title }” (campaign { $id })
award-phase-draft = in draft
award-phase-nominations-open = open for nominations
award-phase-nominations-closed = closed for nominations, before voting
award-phase-voting-open = open for voting
award-phase-voting-closed = closed for voting
award-phase-certified = certified
award-by-admin = when an admin closes it
award-ballots = { $count ->
    [one] one ballot
   *[other] { $count } ballots
}
award-no-region = { $count } without a region
award-status-active = active
award-status-withdrawn = withdrawn
award-status-lapsed = lapsed (too few seconds)
award-form-single = one nominee, such as #2
award-form-approval = the nominees you approve of, such as #1 #3
award-form-score = a score for the nominees you score, such as #1=5 #2=3
award-form-ranked = nominees in order of preference, such as #2 > #1 > #3

award-announce-nominations-open = **Nominations are open** for { $campaign }. Nominate with `{ $prefix }nominate { $id } CATEGORY COUNTRY "NAME" CITATION`, second with `{ $prefix }second { $id }#N`.
award-announce-nominations-closed = **Nominations are closed** for { $campaign }: { $count ->
    [0] no nomination stands.
    [one] one nomination stands.
   *[other] { $count } nominations stand.
}
award-announce-voting-open = **Voting is open** in { $campaign }{ $secret ->
    [yes] {" "}(secret ballot)
   *[other] {""}
}, until { $close }. Vote with `{ $prefix }vote { $id } …` (see `help vote`); you may change your ballot until the close, the last one counts.
award-announce-commitment = Tie-break commitment (SHA-256 of the seed revealed at the close): `{ $commitment }`
award-announce-lapsed = Nomination { $id } lapsed: it did not have its seconds when nominations closed.
award-announce-empty = Category { $category } has nobody on its ballot: there is no vote in it.
award-remind-voting = **Reminder**: voting in { $campaign } closes on { $at }; { $voters ->
    [0] nobody has voted yet.
    [one] one person has voted so far.
   *[other] { $voters } people have voted so far.
} Vote with `{ $prefix }vote { $id } …`.
award-remind-nominations = **Reminder**: nominations for { $campaign } close on { $at }. Nominate with `{ $prefix }nominate { $id } …`.
award-remind-personal = You have not voted yet in { $campaign }; voting closes on { $close }. Vote with `{ $prefix }vote { $id } …` (see `help vote`).
award-direct-ballot = **Voting is open** in { $campaign } (secret ballot), until { $close }. Vote here, in this direct chat that only you and Vigie share: `{ $prefix }vote { $id } …` (see `help vote`). You may change your ballot until the close; the last one counts.
award-vote-in-direct = { $campaign } is a secret ballot, so this ballot is not counted: vote in your direct chat with Vigie, where it has just sent you the ballot.
award-redact-reason = secret ballot
award-redact-yourself = Vigie cannot remove your message from this room: please delete it yourself, so that nobody reads your ballot.
award-chart-title = Results of { $campaign }
award-chart-votes = bars: votes
award-chart-approvals = bars: approvals
award-chart-scores = bars: total scores
award-chart-points = bars: Borda points
award-chart-last-round = bars: votes in the last round (an excluded nominee: its votes when excluded)
award-chart-wins = bars: head-to-head contests won against the other nominees
award-chart-wins-value = { $count ->
    [one] one win
   *[other] { $count } wins
}
award-chart-elected = elected

award-results-title = Results of **{ $campaign }**:
award-results-category = **{ $category }** (`{ $slug }`, { $method }, { $seats ->
    [one] one seat
   *[other] { $seats } seats
})
award-results-winners = Elected: { $winners }
award-results-nobody = nobody
award-results-round = Round { $number }:
award-results-more-rounds = … and { $count } more round(s): `award export` gives the ballots to recount them all with `vigie tally`.
award-results-no-ballots = No ballot was cast in this category.
award-results-no-count = This category has no result: { $reason }
award-results-seed = Tie-break seed revealed: `{ $seed }` (its SHA-256 is the commitment `{ $commitment }`).
award-export-title = Ballots of { $campaign }, as BLT files (recount with `vigie tally FILE --method …`):
award-export-scores = Category { $category } is counted by { $method }, whose ballots are scores or approvals, which BLT cannot hold.

award-list-none = There is no award campaign yet; an admin opens one with `award open`.
award-list-title = { $count ->
    [one] One award campaign:
   *[other] { $count } award campaigns:
}
award-list-line = { $campaign }: { $phase }, { $nominations } active nomination(s)
award-show-title = { $campaign } is { $phase }, with { $nominations } active nomination(s).
award-show-category = `{ $slug }` “{ $title }”: { $method }, { $seats } seat(s); a ballot is { $form }
award-show-rules = Ballots { $secret ->
    [yes] secret: nobody sees who voted what
   *[other] open: votes may be shown with their voters
}; a nomination needs { $seconds } second(s)
award-show-roll = Voters: the { $count } people on the roll
award-show-regions = Voters: peers of { $regions }
award-show-peers = Voters: the steering-committee peers and admins
award-show-schedule = Nominations close: { $nominations } · voting opens: { $open } · voting closes: { $close }
award-show-reminder = A reminder { $hours } hour(s) before voting closes
award-show-seed = Tie-break seed revealed: `{ $seed }`

award-nominate-ok = Nomination **{ $id }**: { $nominee } in `{ $category }`. It needs { $required } second(s) from others: `{ $prefix }second { $id }`.
award-nominate-edited = Nomination **{ $id }** now reads: { $nominee } in `{ $category }`.
award-nominate-seconds-cleared = Its seconds were cleared, since the nominee or category changed.
award-second-ok = You seconded **{ $id }**: { $seconds } of { $required } second(s).
award-withdraw-ok = Nomination **{ $id }** is withdrawn.
award-nominations-none = { $campaign } has no nomination yet.
award-nominations-title = Nominations of { $campaign } ({ $count }):
award-nominations-line = **{ $id }** { $nominee } in `{ $category }`, by { $nominator }, { $seconds }/{ $required } second(s), { $status }: { $citation }
award-vote-ok = Your ballot in `{ $category }` of { $campaign } is recorded{ $replaced ->
    [yes] , replacing your earlier one
   *[other] {""}
}. You may change it until voting closes; the last one counts.
award-recuse-ok = You declared a conflict with **{ $id }**: you will not vote in `{ $category }`{ $removed ->
    [yes] , and the ballot you cast there was taken out
   *[other] {""}
}.
award-turnout = { $campaign }: { $voters ->
    [one] one person has voted
   *[other] { $voters } people have voted
}.
award-turnout-roll = { $campaign }: { $voters } of the { $eligible } people on the roll have voted.
award-turnout-regions = By region: { $regions }

award-ineligible-role = it needs the role { $need } or higher, and you are { $have }
award-ineligible-region = it is open to the regions { $allowed }, and your region is { $have }
award-ineligible-roll = it is open only to the people on its roll, and you are not on it; ask an admin to add you
award-recusal-declared = you declared a conflict of interest
award-recusal-nominee = you are the nominee
award-recusal-country = you and the nominee are both from { $country }
award-recusal-organisation = you and the nominee are both with { $organisation }

award-err-unknown-campaign = There is no award campaign { $id }; expected the number of one that `award list` shows.
award-err-which-campaign = { $count ->
    [0] No campaign is open for this
   *[other] Several campaigns are open
}, so #{ $number } does not say which; write the nomination with its campaign, such as 1#{ $number }.
award-err-past = { $option } is already past; expected a moment to come, such as 7d or 2027-03-01.
award-err-schedule-order = The deadlines are out of order; expected nominations to close, then voting to open, then voting to close.
award-err-remind-needs-close = A reminder needs --voting-close; expected a closing time for voting to remind before.
award-err-closed = { $campaign } is closed already; `award results` shows its results.
award-err-citation-long = The citation is too long; expected at most { $max } characters.
award-err-replaces-elsewhere = That nomination is not in campaign { $id }; expected one of its own, such as #3.
award-err-vote-category = Campaign { $id } has several categories; start the ballot with one of { $known }, such as `vote { $id } CATEGORY #2 > #1`.
award-err-turnout-before = { $campaign } is { $phase }; turnout is counted once voting opens.
award-err-title = The campaign title is { $problem }; expected 1 to 200 characters.
award-err-admin-only = Only an admin may do this in “{ $campaign }”; ask an admin of the room.
award-err-not-eligible = You may not { $activity ->
    [nominate] nominate
    [second] second nominations
   *[vote] vote
} in “{ $campaign }”: { $reason }.
award-err-illegal-step = “{ $campaign }” is { $phase }, so it cannot { $step ->
    [open-nominations] open nominations
    [close-nominations] close nominations
    [open-voting] open voting
    [close-voting] close voting
    [certify] be certified
   *[remind] send that reminder
}; expected its next step.
award-err-rules-locked = The rules of “{ $campaign }” are locked since voting opened; rules can change only before voting opens.
award-err-nominations-not-open = “{ $campaign }” is { $phase }; nominations are made, seconded, edited and withdrawn only while nominations are open.
award-err-nominations-closed = Nominations for “{ $campaign }” closed on { $closed }; expected a change before they close.
award-err-voting-not-open = “{ $campaign }” is { $phase }; ballots can be cast only while voting is open.
award-err-voting-closed = Voting in “{ $campaign }” closed on { $closed }; ballots can be cast or changed only before it closes.
award-err-unknown-category = “{ $campaign }” has no category “{ $category }”; expected one of: { $known }.
award-err-duplicate-category = “{ $campaign }” already has a category “{ $category }”; expected a slug not yet used.
award-err-category-in-use = Category “{ $category }” has { $count } nomination(s); only a category with none can be removed.
award-err-unknown-nomination = “{ $campaign }” has no nomination { $id }; expected the number of one listed by `nominations`.
award-err-duplicate-nomination = { $nominee } is already nominated in “{ $category }” as { $id }; second { $id } instead of nominating again.
award-err-not-yours = Only the nominator of { $id } or an admin may { $verb } it.
award-err-not-active = Nomination { $id } is { $status }; only an active nomination can be changed.
award-err-own-nomination = You { $relation ->
    [made] made
   *[nominee] are the nominee of
} { $id }; a second must come from someone else.
award-err-already-seconded = You have already seconded { $id }; each person seconds a nomination once.
award-err-invalid = This is refused: { $problem }.
award-err-invalid-method = Category “{ $category }” cannot be counted that way: it { $problem }.
award-err-invalid-ballot = The ballot for “{ $category }” is refused: it { $problem }.
award-err-recused = You are recused from { $id } in “{ $category }” because { $reason }; a recused voter does not vote in that category.
award-err-already-recused = You have already declared a conflict with { $id }; a declaration stands until the campaign ends.
award-err-no-method = Category “{ $category }” has no counting method; expected one declared before voting opens.
award-err-no-commitment = “{ $campaign }” has no tie-break commitment; expected the SHA-256 of a secret seed before voting opens.
award-err-quorum-without-roll = A quorum of { $percent }% of the voter roll needs a voter roll; set a roll, or use a minimum number of ballots.
award-err-seed-mismatch = The seed does not match the commitment { $commitment }; expected the exact seed whose SHA-256 that is.
award-err-seed-revealed = The tie-break seed of “{ $campaign }” is already revealed; it is revealed once.
award-err-seed-not-revealed = The tie-break seed of “{ $campaign }” is not revealed yet; reveal it before certifying.
award-err-not-closed = “{ $campaign }” is { $phase }; results and ballots are shown only once voting has closed.
award-err-too-late = “{ $campaign }” is { $phase }; this is possible only before voting closes.
award-err-quorum = Category “{ $category }” had { $ballots } ballot(s), short of its quorum of { $required }; it has no result.
award-err-empty-ballot = Category “{ $category }” has nobody on its ballot; there is nothing to vote on in it.

award-ballot-word = “{ $word }” is not a choice on a ballot; expected { $form }.
award-ballot-form = This is not a { $method } ballot; expected { $form }.
award-ballot-empty = The ballot chooses nobody; expected { $form }.
award-ballot-not-on = { $id } is not on the ballot of `{ $category }`; expected nominees among { $listed }.
award-ballot-twice = The ballot names { $id } twice; expected each nominee at most once.
award-ballot-score = The ballot gives { $id } a score of { $score }; expected scores from 0 to { $max }.
award-ballot-equal = The ballot ranks several nominees equal, which { $method } does not take; expected one nominee per rank, such as #2 > #1.
award-ballot-too-many = The ballot approves too many nominees; expected at most { $max }.

## Quick polls
cmd-poll = Ask a quick open poll in the room: the question and its options separated by |.
cmd-poll-close = Close a poll now and show its results (its creator or an admin).
cmd-poll-results = Show a poll's counts: so far while it is open, final once closed.
opt-multiple = people may choose several options
opt-closes = when the poll closes: a duration such as 1d, or a day and time in UTC
opt-question = the question, then each option, separated by |: `Lunch? | Pizza | Soup`
opt-poll = the poll's number
poll-opened = Poll { $id }: { $question }
poll-how = Answer with `{ $prefix }vote { $id } { $example }`{ $multiple ->
    [yes] , choosing as many options as you like
   *[other] {""}
}; the last answer counts.
poll-closes-at = It closes at { $at }.
poll-closes-by-hand = It stays open until `{ $prefix }poll close { $id }`.
poll-results-open = Poll { $id }, “{ $question }”, so far ({ $ballots } { $ballots ->
    [one] answer
   *[other] answers
}):
poll-results-closed = Poll { $id }, “{ $question }”, is closed ({ $ballots } { $ballots ->
    [one] answer
   *[other] answers
}):
poll-results-line = { $number }. { $option }: { $count }{ $leading ->
    [yes] {" "}(leading)
   *[other] {""}
}
poll-err-form = A poll needs a question and at least two options, separated by |; expected `poll Lunch? | Pizza | Soup`.
poll-err-too-many = The poll has { $count } options; expected at most { $max }.
poll-err-long = The text starting “{ $start }” is too long; expected a question and options of at most { $max } characters each.
poll-err-twice = The option “{ $option }” is given twice; expected each option once.
poll-err-unknown = There is no poll { $id }; expected the number Vigie gave when the poll was asked.
poll-err-not-yours = Poll { $id } was asked by someone else; only its creator or an admin may close it.
poll-err-closed = Poll { $id } is closed already; `{ $prefix }poll results { $id }` shows its results.

## Award campaigns in chat: recusal by country and organisation, quorum, certification

cmd-award-certify = Certify a closed campaign's results: they become final.
opt-quorum = ballots a category needs for a result: 5, 30% (of the roll) or 5,30%
opt-recuse-same = recuse voters from nominees sharing their country, organisation, both, or none (organisation)
opt-peer-country = their country, for recusal in award campaigns
opt-peer-organisation = their organisation, for recusal in award campaigns
expect-quorum = a number of ballots (5), a share of the voter roll (30%), or both (5,30%)
expect-recusal = country, organisation, both as country,organisation, or none
award-show-quorum = Quorum: { $required } ballot(s) in each category (at least { $ballots }{ $percent ->
    [0] {""}
   *[other] {" "}and { $percent }% of the roll
}); a category with fewer has no result
award-show-quorum-none = Quorum: none; every category with ballots has a result
award-show-recusal = Automatic recusal: { $same ->
    [both] a voter sits out a category with a nominee of their country or organisation
    [country] a voter sits out a category with a nominee of their country
    [organisation] a voter sits out a category with a nominee of their organisation
   *[none] none, besides nominees themselves and declared conflicts
}
award-results-provisional = Provisional: these results become final when an admin certifies them.
award-results-certified = Certified on { $at }: these results are final.
award-results-quorum-met = Quorum met: { $ballots } ballot(s), { $required } needed.
award-announce-certified = { $campaign } is certified: its results are final. `{ $prefix }award results { $id }` shows them.
peer-country = country { $country }
peer-organisation = organisation { $organisation }
peers-added-affiliation = Award campaigns know them by { $affiliation }.
peers-err-country = “{ $given }” is a subdivision, not a country; expected a peer's country as two letters (ISO 3166-1 alpha-2), such as KE.

## Discord: buttons on alerts, nominating through a modal

discord-button-claim = Claim
discord-button-claim-id = Claim { $id }
discord-button-release = Release
discord-button-release-id = Release { $id }
discord-button-snooze-day = Snooze 1 day
discord-button-snooze-week = Snooze 1 week
discord-button-nominate = Nominate: { $category }
discord-unknown-component = This button is not one Vigie knows (it may come from an older version); type the command instead.
discord-nominate-title = Nominate: { $category }
discord-nominate-nominee = Nominee's name
discord-nominate-country = Nominee's country (two letters, such as KE)
discord-nominate-organisation = Organisation (optional)
discord-nominate-citation = Why they deserve the award
discord-nominate-closed = Campaign { $id } is not open for nominations in category “{ $category }”; `award show { $id }` says where it stands.

# Secret ballots as private forms on Discord (platform/discord/ballot.rs).
discord-ballot-intro = **Your ballot** in `{ $category }` of { $campaign }, which only you see: { $how } Then press **Cast ballot**; you may change it and cast it again until the close, the last one counts.
discord-ballot-how-ranked = choose your nominees in order of preference; rank as many as you like.
discord-ballot-how-single = choose one nominee.
discord-ballot-how-approval = { $max ->
    [0] choose every nominee you approve of.
   *[other] choose the nominees you approve of, at most { $max }.
}
discord-ballot-how-score = give the nominees you score a score from 0 to { $max }; those you leave blank get no score.
discord-ballot-so-far = Your choices so far: { $choices }.
discord-ballot-nothing-yet = Nothing chosen yet.
discord-ballot-rank = { $rank ->
    [1] 1st choice
    [2] 2nd choice
    [3] 3rd choice
    [21] 21st choice
    [22] 22nd choice
    [23] 23rd choice
   *[other] { $rank }th choice
}
discord-ballot-choose = Your choice
discord-ballot-approve = The nominees you approve of
discord-ballot-score-for = Score for { $nominee }
discord-ballot-earlier = Earlier choices
discord-ballot-later = Next choices
discord-ballot-clear = Start over
discord-ballot-cast = Cast ballot
discord-ballot-category = The category to vote in
discord-ballot-categories = { $campaign } has several categories: choose the one to vote in.
discord-ballot-nothing = This ballot chooses nobody yet; choose at least one nominee, then cast it.
discord-ballot-changed = The nominees of this ballot changed since it was shown, so it was not cast; run `/vote campaign:{ $id }` again for a fresh ballot.
discord-ballot-too-big = Category `{ $category }` does not fit in a ballot form (more than 25 nominees, or scores above 24); vote by typing it: `/vote campaign:{ $id } ballot:…` (see `/help command:vote`).
discord-ballot-unknown = This ballot control is not one Vigie knows (it may come from an older version), and nothing was changed; run `/vote` again for a fresh ballot.
