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

## OGP regions

region-africa-middle-east = Africa and the Middle East
region-americas = The Americas
region-asia-pacific = Asia and the Pacific
region-europe = Europe
