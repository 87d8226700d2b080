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
cmd-peers-add = Add a peer or an admin, or change their role or region.
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
