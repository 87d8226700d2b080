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

## Régions de l'OGP

region-africa-middle-east = Afrique et Moyen-Orient
region-americas = Amériques
region-asia-pacific = Asie et Pacifique
region-europe = Europe
