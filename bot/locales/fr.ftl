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
cmd-peers-add = Ajouter un pair ou un administrateur, ou changer son rôle, sa région, son pays ou son organisation.
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

## Prix (bot/src/chat/award/, bot/src/award/)

cmd-award-open = Ouvrir une campagne de prix : catégories, méthode, sièges, secret, échéances, liste.
cmd-award-list = Lister les campagnes de prix.
cmd-award-show = Afficher une campagne : sa phase, ses catégories, ses règles et son calendrier.
cmd-award-close = Passer à l'étape suivante : clore les nominations et ouvrir le vote, ou clore le vote.
cmd-award-results = Afficher les lauréats d'une campagne close, avec un résumé tour par tour.
cmd-award-export = Exporter les bulletins d'une campagne close en fichiers BLT, pour recompter.
cmd-nominate = Nominer une personne ou une institution dans une catégorie, avec une citation.
cmd-second = Appuyer une nomination, pour qu'elle tienne à la clôture des nominations.
cmd-withdraw = Retirer une nomination que vous avez faite (ou qui vous nomme).
cmd-nominations = Lister les nominations d'une campagne avec leurs appuis.
cmd-vote = Voter ou changer de bulletin ; le dernier avant la clôture compte.
cmd-recuse = Déclarer un conflit d'intérêts : vous ne voterez pas dans sa catégorie.
cmd-turnout = Afficher combien ont voté, sans les noms.

opt-categories = les catégories : slug, slug=Titre, ou slug:MÉTHODE:SIÈGES=Titre (une seule sans cela)
opt-method = la méthode de décompte (schulze par défaut ; stv pour plusieurs sièges)
opt-seats = combien de lauréats par catégorie (1 par défaut)
opt-seconds = appuis nécessaires pour qu'une nomination tienne (1 par défaut)
opt-public = bulletins publics : les votes peuvent être montrés (secrets sans cela)
opt-nominations-close = clôture des nominations (un admin les clôt sans cela)
opt-voting-open = ouverture du vote (à la clôture des nominations sans cela)
opt-voting-close = clôture du vote (un admin le clôt sans cela)
opt-remind = rappeler à qui n'a pas voté, ce délai avant la clôture du vote
opt-roll = la liste électorale : seules ces personnes votent
opt-voter-region = seuls les pairs de cette région votent
opt-title = le titre de la campagne
opt-campaign = le numéro de la campagne, tel que `award list` l'affiche
opt-category = l'identifiant de la catégorie
opt-nominee-country = le pays ou la juridiction de la personne nominée
opt-nominee = le nom de la personne nominée (entre guillemets s'il a des espaces)
opt-nominee-user = le compte de chat de la personne nominée, si elle en a un
opt-organisation = l'organisation de la personne nominée
opt-institution = la nomination est une institution, pas une personne
opt-replaces = modifier cette nomination faite par vous au lieu d'en faire une nouvelle
opt-citation = pourquoi elle le mérite
opt-nomination = la nomination, comme #3 ou 1#3
opt-ballot = [catégorie] puis vos choix, comme #2 > #1 > #3 (voir help vote)

expect-campaign = le numéro d'une campagne, tel que `award list` l'affiche, comme 1
expect-nomination = une nomination comme #3, ou 1#3 pour la nomination 3 de la campagne 1
expect-category = l'identifiant d'une catégorie : minuscules, chiffres et tirets, comme champion
expect-categories = des identifiants séparés par des virgules, chacun éventuellement avec sa méthode et ses sièges puis un titre, slug:MÉTHODE:SIÈGES=Titre, comme "champion:stv:3=Champion, local:irv, best"
expect-method = plurality, approval, score (ou score:5), star, borda, irv, stv, stv-meek, schulze ou ranked-pairs
expect-count = un nombre entier de 0 à 100
expect-moment = un jour (2027-03-01, à 00:00 UTC), un jour et une heure UTC (2027-03-01T18:00), ou un délai comme 7d
expect-users = des personnes séparées par des virgules, comme @ana:example.org,@bo:example.org
expect-name = un nom de 1 à 200 caractères, entre guillemets s'il a des espaces

help-more-vote = Un bulletin s'écrit selon la méthode de la catégorie : classement `#2 > #1 > #3` (ou `#2 #1 #3` ; Schulze et ranked pairs acceptent aussi `#2 = #1 > #3`), approbation `#1 #3`, notes `#1=5 #2=3`, un seul choix `#2`. Commencez par l'identifiant de la catégorie quand la campagne en a plusieurs : `vote 1 champion #2 > #1`.

award-name = « { $title } » (campagne { $id })
award-phase-draft = en brouillon
award-phase-nominations-open = ouverte aux nominations
award-phase-nominations-closed = close aux nominations, avant le vote
award-phase-voting-open = ouverte au vote
award-phase-voting-closed = close au vote
award-phase-certified = certifiée
award-by-admin = quand un admin la prononce
award-ballots = { $count ->
    [one] un bulletin
   *[other] { $count } bulletins
}
award-no-region = { $count } sans région
award-status-active = active
award-status-withdrawn = retirée
award-status-lapsed = caduque (trop peu d'appuis)
award-form-single = une personne nominée, comme #2
award-form-approval = les personnes nominées que vous approuvez, comme #1 #3
award-form-score = une note pour les personnes que vous notez, comme #1=5 #2=3
award-form-ranked = les personnes nominées par ordre de préférence, comme #2 > #1 > #3

award-announce-nominations-open = **Les nominations sont ouvertes** pour { $campaign }. Nominez avec `{ $prefix }nominate { $id } CATÉGORIE PAYS "NOM" CITATION`, appuyez avec `{ $prefix }second { $id }#N`.
award-announce-nominations-closed = **Les nominations sont closes** pour { $campaign } : { $count ->
    [0] aucune nomination ne tient.
    [one] une nomination tient.
   *[other] { $count } nominations tiennent.
}
award-announce-voting-open = **Le vote est ouvert** dans { $campaign }{ $secret ->
    [yes] {" "}(scrutin secret)
   *[other] {""}
}, jusqu'au { $close }. Votez avec `{ $prefix }vote { $id } …` (voir `help vote`) ; vous pouvez changer de bulletin jusqu'à la clôture, le dernier compte.
award-announce-commitment = Engagement de départage (SHA-256 de la graine révélée à la clôture) : `{ $commitment }`
award-announce-lapsed = La nomination { $id } est caduque : elle n'avait pas ses appuis à la clôture des nominations.
award-announce-empty = La catégorie { $category } n'a personne sur son bulletin : il n'y a pas de vote.
award-remind-voting = **Rappel** : le vote de { $campaign } se clôt le { $at } ; { $voters ->
    [0] personne n'a encore voté.
    [one] une personne a voté jusqu'ici.
   *[other] { $voters } personnes ont voté jusqu'ici.
} Votez avec `{ $prefix }vote { $id } …`.
award-remind-nominations = **Rappel** : les nominations de { $campaign } se closent le { $at }. Nominez avec `{ $prefix }nominate { $id } …`.
award-remind-personal = Vous n'avez pas encore voté dans { $campaign } ; le vote se clôt le { $close }. Votez avec `{ $prefix }vote { $id } …` (voir `help vote`).
award-direct-ballot = **Le vote est ouvert** dans { $campaign } (scrutin secret), jusqu'au { $close }. Votez ici, dans cette conversation directe que seuls vous et Vigie partagez : `{ $prefix }vote { $id } …` (voir `help vote`). Vous pouvez changer votre bulletin jusqu'à la clôture ; le dernier compte.
award-vote-in-direct = { $campaign } est un scrutin secret, donc ce bulletin n'est pas compté : votez dans votre conversation directe avec Vigie, où il vient de vous envoyer le bulletin.
award-redact-reason = bulletin secret
award-redact-yourself = Vigie ne peut pas retirer votre message de ce salon : supprimez-le vous-même, pour que personne ne lise votre bulletin.
award-chart-title = Résultats de { $campaign }
award-chart-votes = barres : voix
award-chart-approvals = barres : approbations
award-chart-scores = barres : total des notes
award-chart-points = barres : points Borda
award-chart-last-round = barres : voix au dernier tour (un candidat éliminé : ses voix à son élimination)
award-chart-wins = barres : duels gagnés contre les autres candidats
award-chart-wins-value = { $count ->
    [one] un duel gagné
   *[other] { $count } duels gagnés
}
award-chart-elected = élu

award-results-title = Résultats de **{ $campaign }** :
award-results-category = **{ $category }** (`{ $slug }`, { $method }, { $seats ->
    [one] un siège
   *[other] { $seats } sièges
})
award-results-winners = Élu·e·s : { $winners }
award-results-nobody = personne
award-results-round = Tour { $number } :
award-results-more-rounds = … et { $count } tour(s) de plus : `award export` donne les bulletins pour tout recompter avec `vigie tally`.
award-results-no-ballots = Aucun bulletin dans cette catégorie.
award-results-no-count = Cette catégorie n'a pas de résultat : { $reason }
award-results-seed = Graine de départage révélée : `{ $seed }` (son SHA-256 est l'engagement `{ $commitment }`).
award-export-title = Bulletins de { $campaign }, en fichiers BLT (recomptez avec `vigie tally FICHIER --method …`) :
award-export-scores = La catégorie { $category } se compte par { $method }, dont les bulletins sont des notes ou des approbations, que BLT ne peut contenir.

award-list-none = Il n'y a encore aucune campagne de prix ; un admin en ouvre une avec `award open`.
award-list-title = { $count ->
    [one] Une campagne de prix :
   *[other] { $count } campagnes de prix :
}
award-list-line = { $campaign } : { $phase }, { $nominations } nomination(s) active(s)
award-show-title = { $campaign } est { $phase }, avec { $nominations } nomination(s) active(s).
award-show-category = `{ $slug }` « { $title } » : { $method }, { $seats } siège(s) ; un bulletin donne { $form }
award-show-rules = Bulletins { $secret ->
    [yes] secrets : personne ne voit qui a voté quoi
   *[other] publics : les votes peuvent être montrés avec leurs votants
} ; une nomination demande { $seconds } appui(s)
award-show-roll = Votants : les { $count } personnes de la liste
award-show-regions = Votants : les pairs de { $regions }
award-show-peers = Votants : les pairs du comité directeur et les admins
award-show-schedule = Clôture des nominations : { $nominations } · ouverture du vote : { $open } · clôture du vote : { $close }
award-show-reminder = Un rappel { $hours } heure(s) avant la clôture du vote
award-show-seed = Graine de départage révélée : `{ $seed }`

award-nominate-ok = Nomination **{ $id }** : { $nominee } dans `{ $category }`. Il lui faut { $required } appui(s) d'autres personnes : `{ $prefix }second { $id }`.
award-nominate-edited = La nomination **{ $id }** est désormais : { $nominee } dans `{ $category }`.
award-nominate-seconds-cleared = Ses appuis ont été effacés, puisque la personne nominée ou la catégorie a changé.
award-second-ok = Vous appuyez **{ $id }** : { $seconds } appui(s) sur { $required }.
award-withdraw-ok = La nomination **{ $id }** est retirée.
award-nominations-none = { $campaign } n'a encore aucune nomination.
award-nominations-title = Nominations de { $campaign } ({ $count }) :
award-nominations-line = **{ $id }** { $nominee } dans `{ $category }`, par { $nominator }, { $seconds }/{ $required } appui(s), { $status } : { $citation }
award-vote-ok = Votre bulletin dans `{ $category }` de { $campaign } est enregistré{ $replaced ->
    [yes] , à la place du précédent
   *[other] {""}
}. Vous pouvez le changer jusqu'à la clôture du vote ; le dernier compte.
award-recuse-ok = Vous avez déclaré un conflit avec **{ $id }** : vous ne voterez pas dans `{ $category }`{ $removed ->
    [yes] , et le bulletin que vous y aviez déposé a été retiré
   *[other] {""}
}.
award-turnout = { $campaign } : { $voters ->
    [one] une personne a voté
   *[other] { $voters } personnes ont voté
}.
award-turnout-roll = { $campaign } : { $voters } des { $eligible } personnes de la liste ont voté.
award-turnout-regions = Par région : { $regions }

award-ineligible-role = il faut le rôle { $need } ou plus, et vous êtes { $have }
award-ineligible-region = c'est ouvert aux régions { $allowed }, et votre région est { $have }
award-ineligible-roll = c'est réservé aux personnes de la liste, et vous n'y êtes pas ; demandez à un admin de vous ajouter
award-recusal-declared = vous avez déclaré un conflit d'intérêts
award-recusal-nominee = vous êtes la personne nominée
award-recusal-country = vous et la personne nominée êtes de { $country }
award-recusal-organisation = vous et la personne nominée êtes à { $organisation }

award-err-unknown-campaign = Il n'y a pas de campagne de prix { $id } ; attendu le numéro d'une campagne que `award list` affiche.
award-err-which-campaign = { $count ->
    [0] Aucune campagne n'est ouverte pour cela
   *[other] Plusieurs campagnes sont ouvertes
}, donc #{ $number } ne dit pas laquelle ; écrivez la nomination avec sa campagne, comme 1#{ $number }.
award-err-past = { $option } est déjà passé ; attendu un moment à venir, comme 7d ou 2027-03-01.
award-err-schedule-order = Les échéances sont dans le désordre ; attendu la clôture des nominations, puis l'ouverture du vote, puis sa clôture.
award-err-remind-needs-close = Un rappel demande --voting-close ; attendu une heure de clôture du vote avant laquelle rappeler.
award-err-closed = { $campaign } est déjà close ; `award results` affiche ses résultats.
award-err-citation-long = La citation est trop longue ; attendu au plus { $max } caractères.
award-err-replaces-elsewhere = Cette nomination n'est pas dans la campagne { $id } ; attendu une des siennes, comme #3.
award-err-vote-category = La campagne { $id } a plusieurs catégories ; commencez le bulletin par l'une de { $known }, comme `vote { $id } CATÉGORIE #2 > #1`.
award-err-turnout-before = { $campaign } est { $phase } ; la participation se compte dès l'ouverture du vote.
award-err-title = Le titre de la campagne est { $problem ->
    [empty] vide
   *[other] trop long
} ; attendu 1 à 200 caractères.
award-err-admin-only = Seul un admin peut faire cela dans « { $campaign } » ; demandez à un admin du salon.
award-err-not-eligible = Vous ne pouvez pas { $activity ->
    [nominate] nominer
    [second] appuyer de nominations
   *[vote] voter
} dans « { $campaign } » : { $reason }.
award-err-illegal-step = « { $campaign } » est { $phase }, donc elle ne peut pas { $step ->
    [open-nominations] ouvrir les nominations
    [close-nominations] clore les nominations
    [open-voting] ouvrir le vote
    [close-voting] clore le vote
    [certify] être certifiée
   *[remind] envoyer ce rappel
} ; attendu son étape suivante.
award-err-rules-locked = Les règles de « { $campaign } » sont figées depuis l'ouverture du vote ; elles ne changent qu'avant.
award-err-nominations-not-open = « { $campaign } » est { $phase } ; les nominations se font, s'appuient, se modifient et se retirent seulement pendant les nominations.
award-err-nominations-closed = Les nominations de « { $campaign } » se sont closes le { $closed } ; attendu un changement avant leur clôture.
award-err-voting-not-open = « { $campaign } » est { $phase } ; on ne vote que pendant que le vote est ouvert.
award-err-voting-closed = Le vote de « { $campaign } » s'est clos le { $closed } ; on ne vote ou ne change de bulletin qu'avant la clôture.
award-err-unknown-category = « { $campaign } » n'a pas de catégorie « { $category } » ; attendu l'une de : { $known }.
award-err-duplicate-category = « { $campaign } » a déjà une catégorie « { $category } » ; attendu un identifiant non utilisé.
award-err-category-in-use = La catégorie « { $category } » a { $count } nomination(s) ; seule une catégorie sans nomination peut être retirée.
award-err-unknown-nomination = « { $campaign } » n'a pas de nomination { $id } ; attendu le numéro d'une nomination que `nominations` liste.
award-err-duplicate-nomination = { $nominee } est déjà nominé·e dans « { $category } » en { $id } ; appuyez { $id } au lieu de nominer à nouveau.
award-err-not-yours = Seule la personne qui a fait { $id }, ou un admin, peut { $verb ->
    [edit] la modifier
   *[withdraw] la retirer
}.
award-err-not-active = La nomination { $id } est { $status } ; seule une nomination active peut changer.
award-err-own-nomination = Vous { $relation ->
    [made] avez fait
   *[nominee] êtes la personne nominée de
} { $id } ; un appui doit venir de quelqu'un d'autre.
award-err-already-seconded = Vous avez déjà appuyé { $id } ; chacun appuie une nomination une fois.
award-err-invalid = C'est refusé : { $problem }.
award-err-invalid-method = La catégorie « { $category } » ne peut pas se compter ainsi : elle { $problem }.
award-err-invalid-ballot = Le bulletin de « { $category } » est refusé : il { $problem }.
award-err-recused = Vous êtes récusé·e pour { $id } dans « { $category } » parce que { $reason } ; une personne récusée ne vote pas dans cette catégorie.
award-err-already-recused = Vous avez déjà déclaré un conflit avec { $id } ; une déclaration vaut jusqu'à la fin de la campagne.
award-err-no-method = La catégorie « { $category } » n'a pas de méthode de décompte ; attendu une méthode déclarée avant l'ouverture du vote.
award-err-no-commitment = « { $campaign } » n'a pas d'engagement de départage ; attendu le SHA-256 d'une graine secrète avant l'ouverture du vote.
award-err-quorum-without-roll = Un quorum de { $percent } % de la liste demande une liste électorale ; fixez une liste, ou un nombre minimal de bulletins.
award-err-seed-mismatch = La graine ne correspond pas à l'engagement { $commitment } ; attendu la graine exacte dont c'est le SHA-256.
award-err-seed-revealed = La graine de départage de « { $campaign } » est déjà révélée ; elle se révèle une fois.
award-err-seed-not-revealed = La graine de départage de « { $campaign } » n'est pas encore révélée ; révélez-la avant de certifier.
award-err-not-closed = « { $campaign } » est { $phase } ; résultats et bulletins ne s'affichent qu'une fois le vote clos.
award-err-too-late = « { $campaign } » est { $phase } ; ce n'est possible qu'avant la clôture du vote.
award-err-quorum = La catégorie « { $category } » a eu { $ballots } bulletin(s), sous son quorum de { $required } ; elle n'a pas de résultat.
award-err-empty-ballot = La catégorie « { $category } » n'a personne sur son bulletin ; il n'y a rien à voter.

award-ballot-word = « { $word } » n'est pas un choix de bulletin ; attendu { $form }.
award-ballot-form = Ce n'est pas un bulletin { $method } ; attendu { $form }.
award-ballot-empty = Le bulletin ne choisit personne ; attendu { $form }.
award-ballot-not-on = { $id } n'est pas sur le bulletin de `{ $category }` ; attendu des personnes parmi { $listed }.
award-ballot-twice = Le bulletin nomme { $id } deux fois ; attendu chaque personne au plus une fois.
award-ballot-score = Le bulletin donne à { $id } la note { $score } ; attendu des notes de 0 à { $max }.
award-ballot-equal = Le bulletin classe plusieurs personnes à égalité, ce que { $method } n'accepte pas ; attendu une personne par rang, comme #2 > #1.
award-ballot-too-many = Le bulletin approuve trop de personnes ; attendu au plus { $max }.

## Sondages rapides
cmd-poll = Poser un sondage rapide et ouvert dans le salon : la question et ses options séparées par |.
cmd-poll-close = Clore un sondage maintenant et en afficher les résultats (son auteur ou un admin).
cmd-poll-results = Afficher les décomptes d’un sondage : provisoires tant qu’il est ouvert, définitifs une fois clos.
opt-multiple = chacun peut choisir plusieurs options
opt-closes = quand le sondage se clôt : une durée comme 1d, ou un jour et une heure UTC
opt-question = la question, puis chaque option, séparées par | : `Déjeuner ? | Pizza | Soupe`
opt-poll = le numéro du sondage
poll-opened = Sondage { $id } : { $question }
poll-how = Répondez avec `{ $prefix }vote { $id } { $example }`{ $multiple ->
    [yes] , en choisissant autant d’options que vous voulez
   *[other] {""}
} ; la dernière réponse compte.
poll-closes-at = Il se clôt le { $at }.
poll-closes-by-hand = Il reste ouvert jusqu’à `{ $prefix }poll close { $id }`.
poll-results-open = Sondage { $id }, « { $question } », pour l’instant ({ $ballots } { $ballots ->
    [one] réponse
   *[other] réponses
}) :
poll-results-closed = Sondage { $id }, « { $question } », est clos ({ $ballots } { $ballots ->
    [one] réponse
   *[other] réponses
}) :
poll-results-line = { $number }. { $option } : { $count }{ $leading ->
    [yes] {" "}(en tête)
   *[other] {""}
}
poll-err-form = Un sondage demande une question et au moins deux options, séparées par | ; attendu `poll Déjeuner ? | Pizza | Soupe`.
poll-err-too-many = Le sondage a { $count } options ; attendu au plus { $max }.
poll-err-long = Le texte commençant par « { $start } » est trop long ; attendu une question et des options d’au plus { $max } caractères chacune.
poll-err-twice = L’option « { $option } » est donnée deux fois ; attendu chaque option une seule fois.
poll-err-unknown = Il n’y a pas de sondage { $id } ; attendu le numéro donné par Vigie à la création du sondage.
poll-err-not-yours = Le sondage { $id } a été posé par quelqu’un d’autre ; seuls son auteur ou un admin peuvent le clore.
poll-err-closed = Le sondage { $id } est déjà clos ; `{ $prefix }poll results { $id }` en affiche les résultats.

## Award campaigns in chat: recusal by country and organisation, quorum, certification

cmd-award-certify = Certifier les résultats d'une campagne close : ils deviennent définitifs.
opt-quorum = bulletins requis par catégorie pour un résultat : 5, 30% (de la liste) ou 5,30%
opt-recuse-same = récuser les votants : même pays, organisation, les deux, ou aucun (organisation)
opt-peer-country = son pays, pour la récusation dans les campagnes de prix
opt-peer-organisation = son organisation, pour la récusation dans les campagnes de prix
expect-quorum = un nombre de bulletins (5), une part de la liste des votants (30%), ou les deux (5,30%)
expect-recusal = country, organisation, les deux en country,organisation, ou none
award-show-quorum = Quorum : { $required } bulletin(s) dans chaque catégorie (au moins { $ballots }{ $percent ->
    [0] {""}
   *[other] {" "}et { $percent } % de la liste
}) ; une catégorie qui en a moins n'a pas de résultat
award-show-quorum-none = Quorum : aucun ; chaque catégorie qui a des bulletins a un résultat
award-show-recusal = Récusation d'office : { $same ->
    [both] un votant ne vote pas dans une catégorie où figure une personne nominée de son pays ou de son organisation
    [country] un votant ne vote pas dans une catégorie où figure une personne nominée de son pays
    [organisation] un votant ne vote pas dans une catégorie où figure une personne nominée de son organisation
   *[none] aucune, hormis les personnes nominées elles-mêmes et les conflits déclarés
}
award-results-provisional = Provisoire : ces résultats deviennent définitifs quand un admin les certifie.
award-results-certified = Certifiés le { $at } : ces résultats sont définitifs.
award-results-quorum-met = Quorum atteint : { $ballots } bulletin(s), { $required } nécessaire(s).
award-announce-certified = { $campaign } est certifiée : ses résultats sont définitifs. `{ $prefix }award results { $id }` les affiche.
peer-country = pays { $country }
peer-organisation = organisation { $organisation }
peers-added-affiliation = Les campagnes de prix le connaissent par : { $affiliation }.
peers-err-country = « { $given } » est une subdivision, pas un pays ; attendu : le pays d'un pair en deux lettres (ISO 3166-1 alpha-2), comme KE.

## Discord : boutons des alertes, proposition de candidature par formulaire

discord-button-claim = Prendre en charge
discord-button-claim-id = Prendre { $id }
discord-button-release = Libérer
discord-button-release-id = Libérer { $id }
discord-button-snooze-day = Sourdine 1 jour
discord-button-snooze-week = Sourdine 1 semaine
discord-button-nominate = Proposer : { $category }
discord-unknown-component = Vigie ne connaît pas ce bouton (il vient peut-être d'une version plus ancienne) ; tapez plutôt la commande.
discord-nominate-title = Proposer : { $category }
discord-nominate-nominee = Nom de la personne proposée
discord-nominate-country = Son pays (deux lettres, comme KE)
discord-nominate-organisation = Organisation (facultatif)
discord-nominate-citation = Pourquoi elle mérite le prix
discord-nominate-closed = La campagne { $id } n'accepte pas de propositions dans la catégorie « { $category } » ; `award show { $id }` indique où elle en est.

# Secret ballots as private forms on Discord (platform/discord/ballot.rs).
discord-ballot-intro = **Votre bulletin** dans `{ $category }` de { $campaign }, que vous seul voyez : { $how } Appuyez ensuite sur **Voter** ; vous pouvez le changer et voter à nouveau jusqu'à la clôture, le dernier compte.
discord-ballot-how-ranked = choisissez vos candidats par ordre de préférence ; classez-en autant que vous voulez.
discord-ballot-how-single = choisissez un candidat.
discord-ballot-how-approval = { $max ->
    [0] choisissez tous les candidats que vous approuvez.
   *[other] choisissez les candidats que vous approuvez, { $max } au plus.
}
discord-ballot-how-score = donnez aux candidats que vous notez une note de 0 à { $max } ; ceux que vous laissez vides n'ont pas de note.
discord-ballot-so-far = Vos choix pour l'instant : { $choices }.
discord-ballot-nothing-yet = Rien n'est encore choisi.
discord-ballot-rank = { $rank ->
    [1] 1er choix
   *[other] { $rank }e choix
}
discord-ballot-choose = Votre choix
discord-ballot-approve = Les candidats que vous approuvez
discord-ballot-score-for = Note de { $nominee }
discord-ballot-earlier = Choix précédents
discord-ballot-later = Choix suivants
discord-ballot-clear = Recommencer
discord-ballot-cast = Voter
discord-ballot-category = La catégorie où voter
discord-ballot-categories = { $campaign } a plusieurs catégories : choisissez celle où voter.
discord-ballot-nothing = Ce bulletin ne choisit encore personne ; choisissez au moins un candidat, puis votez.
discord-ballot-changed = Les candidats de ce bulletin ont changé depuis son affichage, il n'a donc pas été déposé ; relancez `/vote campaign:{ $id }` pour un nouveau bulletin.
discord-ballot-too-big = La catégorie `{ $category }` ne tient pas dans un formulaire (plus de 25 candidats, ou des notes au-delà de 24) ; votez en l'écrivant : `/vote campaign:{ $id } ballot:…` (voir `/help command:vote`).
discord-ballot-unknown = Ce contrôle de bulletin n'est pas connu de Vigie (il vient peut-être d'une version plus ancienne) et rien n'a été modifié ; relancez `/vote` pour un nouveau bulletin.
