# Les messages de Vigie en français. Chaque message doit exister aussi dans en.ftl et es.ftl (un test
# le vérifie). Les réponses sont en Markdown. Chaque erreur tient en une phrase : le problème, puis ce
# qui est attendu. Les commandes et les options restent en anglais : c'est ainsi qu'on les tape.

## Les commandes et leurs options (aide, et descriptions des commandes Discord : 100 caractères au plus)

cmd-help = Afficher les commandes, ou l'aide d'une commande.
cmd-windows = Lister les fenêtres d'opportunité politique ouvertes ou qui s'ouvrent bientôt.
cmd-window-show = Afficher une fenêtre : dates, priorité, étiquettes, raisons, qui en assure le suivi.
cmd-window-claim = Prendre en charge une fenêtre : vous en assurez le suivi.
cmd-window-release = Libérer une fenêtre prise en charge, pour que quelqu'un d'autre puisse la reprendre.
cmd-window-note = Ajouter une note à une fenêtre : ce qui a été fait, qui a été rencontré.
cmd-window-done = Marquer une fenêtre comme traitée.
cmd-window-snooze = Mettre en sourdine les rappels d'une fenêtre pendant un temps.
cmd-calendar = Lister les événements du calendrier : élections, nouveaux gouvernements, échéances de l'OGP.
cmd-member = Afficher un membre de l'OGP : statut, historique, plan d'action, événements à venir.
cmd-feeds = Afficher l'état de chaque flux.
cmd-feeds-sync = Synchroniser les flux maintenant.
cmd-rules-check = Vérifier les fichiers de règles.
cmd-rules-reload = Recharger les fichiers de règles ; s'ils sont invalides, les dernières règles valides restent.
cmd-rules-test = Montrer les enregistrements qu'une règle retient aujourd'hui.
cmd-subscribe = Faire suivre à ce salon un pays, une région ou un thème.
cmd-unsubscribe = Ne plus faire suivre à ce salon un pays, une région ou un thème.
cmd-subscriptions = Lister ce que suit ce salon.
cmd-peers-list = Lister les administrateurs et les pairs du comité directeur.
cmd-peers-add = Ajouter un pair ou un administrateur, ou changer son rôle ou sa région.
cmd-peers-remove = Retirer un pair ou un administrateur.
cmd-language = Afficher ou choisir la langue dans laquelle Vigie vous répond (ou répond à ce salon).

opt-command = la commande à expliquer
opt-scope = un pays, une région ou un thème
opt-within = jusqu'où regarder (90 jours par défaut)
opt-at = le jour d'où regarder : voyage dans le temps
opt-id = l'identifiant de la fenêtre, tel que `windows` l'affiche
opt-text = le texte de la note
opt-duration = pour combien de temps
opt-country = le pays
opt-from = le premier jour
opt-to = le dernier jour
opt-feed = le flux (sinon, tous les flux)
opt-rule = le nom de la règle
opt-topic = ce qu'il faut suivre
opt-user = la personne
opt-role = son rôle (pair par défaut)
opt-region = sa région
opt-language = la langue
opt-room = pour tout le salon (administrateurs)

## À quoi ressemble chaque sorte de valeur

expect-text = du texte
expect-window-id = un identifiant de fenêtre (w- suivi de 12 chiffres hexadécimaux), comme w-2aa8f74113a8
expect-country = un code de pays comme KE, ou une subdivision comme ES-MD
expect-scope = un code de pays (KE), une région (africa-middle-east, americas, asia-pacific, europe) ou un thème (political-transition)
expect-topic = country:CODE, region:REGION ou theme:THEME, comme country:KE
expect-duration = une durée d'une minute à dix ans, comme 7d, 12h ou 2w
expect-date = un jour écrit AAAA-MM-JJ, comme 2026-05-01
expect-user = une personne comme @alice:example.org ou discord:123456789012345678
expect-role = admin ou peer
expect-region = une région parmi africa-middle-east, americas, asia-pacific et europe
expect-language = une langue parmi en, fr et es
expect-feed = le nom d'un flux, tel que `feeds` les liste
expect-rule = le nom d'une règle, tel que `rules check` les liste
expect-command = le nom d'une commande, tel que `help` les liste
expect-switch = rien, car c'est une option sans valeur

## Aide

help-title = Commandes de Vigie
help-footer = Tapez `help COMMAND` pour le détail, par exemple `help window claim`. ◆ signale les commandes des pairs du comité directeur, ★ celles des administrateurs.
help-usage = Syntaxe :
help-who = Qui peut la lancer : { $level ->
    [admin] les administrateurs (le secrétariat).
    [peer] les pairs du comité directeur et les administrateurs.
   *[anyone] tout le monde.
}

## Erreurs

err-empty = Il n'y a pas de commande ici ; tapez `help` pour en avoir la liste.
err-unclosed-quote = Un guillemet est ouvert mais jamais fermé ; fermez-le, ou écrivez le texte sans guillemets.
err-unknown-command = « { $given } » n'est pas une commande ; { $suggestion ->
    [none] tapez `help` pour en avoir la liste.
   *[other] vouliez-vous dire `{ $suggestion }` ?
}
err-unknown-subcommand = { $given ->
    [none] `{ $root }` demande un mot de plus
   *[other] `{ $root } { $given }` n'est pas une commande
} ; { $suggestion ->
    [none] choisissez parmi { $choices }.
   *[other] vouliez-vous dire `{ $root } { $suggestion }` ?
}
err-missing = Il manque { $option } à `{ $command }` ; forme attendue : `{ $usage }`.
err-too-many = `{ $command }` ne prend pas « { $extra } » ; forme attendue : `{ $usage }`.
err-unknown-option = `{ $command }` n'a pas d'option { $given } ; { $suggestion ->
    [none] forme attendue : `{ $usage }`.
   *[other] vouliez-vous dire { $suggestion } ?
}
err-no-value = L'option --{ $option } demande une valeur ; forme attendue : `{ $usage }`.
err-repeated = L'option --{ $option } est donnée deux fois ; elle n'est attendue qu'une fois : `{ $usage }`.
err-invalid = « { $given } » n'est pas valide ici ; attendu : { $expected }.
err-refused = `{ $command }` est réservé { $level ->
    [admin] aux administrateurs (le secrétariat)
   *[peer] aux pairs du comité directeur
} ; demandez à un administrateur de vous ajouter avec `peers add`.
err-internal = Un problème est survenu dans Vigie et rien n'a été modifié ; le secrétariat le retrouvera dans les journaux sous la référence { $reference }.
notice-undecryptable = Je n'ai pas pu déchiffrer ce message ; renvoyez-le, s'il vous plaît, et si cela se reproduit, invitez-moi de nouveau dans le salon.

## Fenêtres

state-upcoming = à venir
state-open = ouverte
state-closing = bientôt fermée
state-closed = fermée
state-cancelled = annulée
state-moved = déplacée
priority-low = basse
priority-normal = normale
priority-high = haute
priority-urgent = urgente

windows-none = Aucune fenêtre n'est ouverte ou ne s'ouvre dans les { $days } jours qui suivent le { $today }.
windows-title = { $count ->
    [one] Une fenêtre ouverte ou qui s'ouvre
   *[other] { $count } fenêtres ouvertes ou qui s'ouvrent
} dans les { $days } jours qui suivent le { $today } :
windows-more = …et { $count } de plus ; affinez la liste avec un pays, une région ou un thème.
window-line = `{ $id }` **{ $title }** — { $state }, { $opens } → { $closes }, priorité { $priority }
window-line-claimed = , prise en charge par { $user }
window-line-done = , traitée par { $user }
window-unknown = Il n'y a pas de fenêtre { $id } au { $today } ; `windows` liste les fenêtres actuelles.
window-show-state = État : { $state } · priorité { $priority } · règle `{ $rule }`
window-show-dates = S'ouvre le { $opens }, bientôt fermée dès le { $closing }, se ferme le { $closes }{ $estimated ->
    [yes] {" "}(dates estimées)
   *[no] {""}
}
window-show-labels = Étiquettes : { $labels }
window-show-why = Pourquoi :
window-show-claimed = Prise en charge par { $user } le { $at }.
window-show-unclaimed = Personne ne l'a encore prise en charge : `window claim { $id }`.
window-show-done = Traitée, marquée par { $user } le { $at }.
window-show-snoozed = En sourdine jusqu'au { $until }, à la demande de { $user }.
window-show-notes = Notes :

claim-ok = Vous avez pris en charge `{ $id }` ({ $title }) : vous en assurez le suivi. Consignez l'avancement avec `window note { $id } …`, et clôturez-la avec `window done { $id }`.
claim-already-yours = Vous avez déjà pris en charge `{ $id }`.
claim-taken = `{ $id }` est déjà prise en charge par { $user } ; demandez-lui, ou à un administrateur, de la libérer d'abord.
release-ok = Vous avez libéré `{ $id }` ; quelqu'un d'autre peut maintenant la prendre en charge.
release-not-claimed = Personne n'a pris en charge `{ $id }`, il n'y a donc rien à libérer.
release-not-yours = `{ $id }` est prise en charge par { $user }, pas par vous ; seule cette personne ou un administrateur peut la libérer.
note-ok = Note ajoutée à `{ $id }`.
note-too-long = La note dépasse { $max } caractères ; elle doit être plus courte.
done-ok = `{ $id }` est marquée comme traitée. Merci !
done-already = `{ $id }` était déjà marquée comme traitée.
snooze-ok = `{ $id }` est en sourdine jusqu'au { $until } : aucun rappel d'ici là.

## Calendrier, membres, flux, règles

calendar-none = Aucun événement pour { $country } du { $from } au { $to }.
calendar-title = { $count ->
    [one] Un événement
   *[other] { $count } événements
} pour { $country } du { $from } au { $to } :
calendar-more = …et { $count } de plus ; resserrez les dates avec --from et --to.
calendar-backwards = Le dernier jour, { $to }, précède le premier jour, { $from } ; --to doit tomber le même jour que --from ou après.
member-unknown = { $country } n'est pas un membre de l'OGP que Vigie connaît ; `calendar { $country }` affiche ses élections.
member-title = **{ $name }** ({ $code }), membre { $level } de l'OGP, région { $region }
member-status = Statut : { $status } depuis le { $since }
member-plan = Plan d'action : { $start } → { $end }
member-history = Historique du statut :
member-events = { $count ->
    [0] Aucun événement à venir connu.
    [one] Un événement à venir :
   *[other] { $count } événements à venir :
}
feeds-title = Flux :
feed-line = `{ $name }` ({ $kind }) : { $state }, { $items } éléments, dernier succès { $success }
feed-ok = opérationnel
feed-failing = en échec
feed-never = jamais synchronisé
feed-error = dernière erreur : { $error }
feeds-unknown = Il n'y a pas de flux nommé « { $name } » ; choisissez parmi { $names }.
feeds-sync-synced = { $items } éléments : { $added } ajoutés, { $changed } modifiés, { $removed } supprimés
feeds-sync-not-modified = aucun changement depuis la dernière synchronisation
feeds-sync-failed = échec, les dernières données valides sont conservées : { $error }
rules-ok = Les fichiers de règles sont valides : { $count } règles.
rules-errors = Les fichiers de règles ont { $count ->
    [one] un problème
   *[other] { $count } problèmes
} :
rules-reloaded = Les règles sont rechargées : { $count } règles sont en vigueur.
rules-unchanged = Les fichiers de règles n'ont pas changé : { $count } règles sont en vigueur.
rules-kept = Les fichiers de règles ne peuvent pas être chargés, les dernières règles valides restent donc en vigueur :
rules-test-unknown = Il n'y a pas de règle nommée « { $rule } » ; choisissez parmi { $names }.
rules-test-title = La règle `{ $rule }` retient { $count } enregistrements au { $today } :

## Salons, personnes, langues

subscribe-ok = Ce salon suit désormais { $topic }.
subscribe-already = Ce salon suit déjà { $topic } ; rien n'a changé.
unsubscribe-ok = Ce salon ne suit plus { $topic }.
unsubscribe-absent = Ce salon ne suit pas { $topic } ; `subscriptions` liste ce qu'il suit.
subscriptions-none = Ce salon ne suit encore rien ; essayez `subscribe region:europe`.
subscriptions-title = Ce salon suit :
peers-none = Il n'y a encore ni pair ni administrateur ; un administrateur les ajoute avec `peers add`.
peers-title = Administrateurs et pairs :
peer-line = { $user } : { $role ->
    [admin] admin
   *[peer] pair
}{ $region ->
    [none] {""}
   *[other] , { $region }
}
peers-added = { $user } est désormais { $role ->
    [admin] admin
   *[peer] pair
}{ $region ->
    [none] .
   *[other] {" "}pour { $region }.
}
peers-removed = { $user } n'est plus ni pair ni administrateur.
peers-absent = { $user } n'est ni pair ni administrateur ; `peers list` les liste.
peers-remove-self = Vous ne pouvez pas vous retirer vous-même ; demandez à un autre administrateur.
lang-en = anglais
lang-fr = français
lang-es = espagnol
language-show = Je vous réponds en { $language } (votre choix : { $user } ; celui du salon : { $room }). Choisissez avec `language fr` pour vous, ou `language fr --room` pour le salon.
language-set-user = Désormais je vous réponds en { $language }.
language-set-room = Désormais, dans ce salon, je réponds en { $language }.

## Annonces (la console les affiche quand les fenêtres changent)

announce-new = Nouvelle fenêtre `{ $id }` : **{ $title }** — { $state }, { $opens } → { $closes }.
announce-state = La fenêtre `{ $id }` (**{ $title }**) est désormais { $state } : { $opens } → { $closes }.

## Commandes des alertes

cmd-silence = Mettre en silence les alertes qui correspondent, pour un temps, en disant pourquoi.
cmd-silences = Lister les silences en cours.
cmd-unsilence = Mettre fin à un silence maintenant.
cmd-digest-now = Afficher le récapitulatif de ce salon : les fenêtres ouvertes ou qui se ferment qu'il suit.
cmd-why = Dire si et quand une fenêtre sera notifiée dans ce salon, et ce qui la fait taire.
cmd-audit = Afficher les derniers changements faits par des personnes, du plus récent au plus ancien.

opt-matchers = quelles alertes : des filtres comme country=KE ou region=~"europe|americas"
opt-reason = pourquoi, pour quiconque le demande
opt-silence-id = le numéro du silence, tel que `silences` l'affiche
opt-window = l'identifiant de la fenêtre, tel que `windows` l'affiche
opt-why-room = le salon (ou la personne) concerné ; ce salon, sinon
opt-target = une fenêtre, une personne, un salon ou silence:N (sinon, tout)

expect-matchers = des filtres d'étiquettes comme country=KE, priority!=low ou region=~"europe|americas"
expect-silence-id = le numéro d'un silence, tel que `silences` l'affiche, comme 3
expect-room = un salon comme !abc:example.org, ou une personne comme @alice:example.org
expect-target = un identifiant de fenêtre, une personne (@alice:example.org), un salon (!abc:example.org) ou silence:3

alerting-off = Les alertes ne tournent pas dans ce Vigie ; un administrateur les active dans la section [alerts] de config.toml.
silence-ok = Le silence #{ $id } dure jusqu'au { $until } : les alertes qui correspondent à { $matchers } ne sont pas notifiées. Pour y mettre fin plus tôt : `unsilence { $id }`.
silence-too-wide = { $matchers } ferait taire toutes les alertes ; attendu : au moins un filtre que les alertes doivent remplir, comme country=KE ou window=w-2aa8f74113a8.
silence-reason-too-long = La raison dépasse { $max } caractères ; attendu : une raison plus courte.
silences-none = Aucun silence n'est en cours ; `silence country=KE 7d raison` fait taire les alertes d'un pays pendant une semaine.
silences-title = { $count ->
    [one] Un silence en cours
   *[other] { $count } silences en cours
} :
silence-line = `#{ $id }` { $matchers } jusqu'au { $until }, par { $author } : { $reason }
unsilence-ok = Le silence #{ $id } est terminé : les alertes qu'il faisait taire sont de nouveau notifiées.
unsilence-over = Le silence #{ $id } est déjà terminé ; rien n'a changé.
unsilence-unknown = Il n'y a pas de silence #{ $id } ; `silences` liste ceux en cours.
why-this-room = ce salon
why-no-alert = `{ $id }` n'a pas encore d'alerte : les alertes naissent des fenêtres à venir, ouvertes ou qui se ferment, à chaque évaluation.
why-not-routed = `{ $id }` n'est pas envoyée à { $room } : aucune route ni aucun abonnement de ce salon ne la retient.
why-pending = `{ $id }` n'est pas encore ouverte : { $room } sera prévenu à son ouverture.
why-muted = `{ $id }` est mise en silence : { $room } n'en est pas prévenu.
why-due = `{ $id }` sera notifiée dans { $room } le { $at }, { $reason ->
    [new] comme nouvelle alerte.
    [update] comme mise à jour.
    [reminder] comme rappel.
   *[resolved] comme résolue.
}
why-sent = { $room } a été prévenu de `{ $id }` le { $at }{ $next ->
    [none] .
   *[other] ; le prochain rappel est prévu le { $next }.
}
why-finished = `{ $id }` a été résolue avant que { $room } soit prévenu de son déclenchement : il n'y a rien à envoyer.
why-everything = tout
why-routes = Routes : { $routes }
why-mutes = Ce qui la fait taire ou la retarde :
why-mute-silence = le silence `#{ $id }` de { $author } jusqu'au { $until } : { $reason }
why-mute-inhibited = retenue par l'alerte `{ $by }` : { $why }
why-mute-quiet = les heures calmes de { $room }, jusqu'au { $until }
why-elsewhere = Elle est aussi envoyée à { $receivers }.
audit-none = Le journal d'audit n'a encore rien{ $target ->
    [none] {""}
   *[other] {" "}sur { $target }
}.
audit-title = { $target ->
    [none] Les derniers changements
   *[other] Les derniers changements de { $target }
}, du plus récent au plus ancien :
audit-line = { $at }, { $actor } : `{ $action }` { $target }

## Régions de l'OGP

region-africa-middle-east = Afrique et Moyen-Orient
region-americas = Amériques
region-asia-pacific = Asie et Pacifique
region-europe = Europe

## Alerts sent to rooms (bot/src/alert/render.rs)

alert-heading = { $reason ->
    [new] **Nouvelle alerte**
    [update] **Alerte mise à jour**
    [reminder] **Rappel**
   *[resolved] **Terminé**
} · { $count ->
    [one] une alerte
   *[other] { $count } alertes
}
alert-mark-changed = nouvelle ou modifiée
alert-mark-resolved = terminée
alert-state-pending = en attente
alert-state-firing = ouverte
alert-state-resolved = terminée
alert-priority = priorité { $priority }
alert-claimed = prise par { $user }
alert-unclaimed = personne ne l'a prise
alert-member-status = statut du membre : { $status }
alert-stale = une source derrière elle est en échec : ses dates peuvent être périmées
alert-why-new = Pourquoi : { $count ->
    [one] une nouvelle alerte
   *[other] { $count } nouvelles alertes
} pour ce salon
alert-why-update = Pourquoi : { $count ->
    [one] une alerte est apparue, a changé ou s'est terminée
   *[other] { $count } alertes sont apparues, ont changé ou se sont terminées
} depuis le dernier message
alert-why-reminder = Pourquoi : un rappel, toujours ouvert depuis le dernier message du { $since }
alert-why-resolved = Pourquoi : tout ce qui a été signalé à ce salon dans ce groupe est terminé
alert-why-route = envoyé ici par la route { $route }, qui demande { $matchers }
alert-why-route-all = envoyé ici par la route { $route }, qui prend toutes les alertes
alert-why-subscription = envoyé ici parce que ce salon suit { $matchers }
alert-why-grouped = regroupé par { $labels }
alert-hint-claim = Pour prendre une fenêtre : `{ $command }`, ou réagissez ✋ à ce message.
alert-escalation-chair = { $mention } : personne n'a pris **{ $summary }** (`{ $id }`) en { $days } jours depuis son ouverture. Pourriez-vous trouver quelqu'un ?
alert-escalation-why-chair = Pourquoi : escalade, personne ne l'a prise { $after } après son ouverture, donc la présidence de la région est sollicitée.
alert-escalation-wider = Personne n'a pris **{ $summary }** (`{ $id }`) en { $days } jours depuis son ouverture. Quelqu'un ici peut-il s'en charger ?
alert-escalation-why-wider = Pourquoi : escalade, toujours sans preneur après la sollicitation de la présidence de la région.
alert-digest-heading = **Résumé{ $name ->
    [none] {""}
   *[other] {" "}{ $name }
}** · { $count ->
    [0] aucune fenêtre ouverte
    [one] une fenêtre ouverte
   *[other] { $count } fenêtres ouvertes
}
alert-digest-everything = Rien en particulier n'est routé vers ce salon : toutes les fenêtres ouvertes sont listées.
alert-digest-none = Aucune fenêtre n'est ouverte.
alert-digest-why = Pourquoi : le résumé programmé { $name } ({ $cron }, { $tz }), passage du { $run }.
alert-digest-now-why = Pourquoi : demandé avec `digest now`.
alert-failure = **Un message n'a pas pu être remis** à { $receiver } (file d'envoi n° { $id }, { $reason }) après { $attempts } tentative(s) : { $error }
alert-failure-why = Pourquoi : ce salon reçoit les rapports d'envois en échec (alerts.admin_receivers).
alert-hint-claim-command = Pour prendre une fenêtre : `{ $command }`.
alert-react-claim-how = Ce message concerne plusieurs fenêtres (ou aucune) : prenez-en une avec `{ $prefix } window claim ID`, en donnant l'identifiant de la fenêtre.
