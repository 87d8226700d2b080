# Los mensajes de Vigie en español. Cada mensaje debe existir también en en.ftl y fr.ftl (una prueba
# lo comprueba). Las respuestas son Markdown. Cada error cabe en una frase: el problema y luego lo que
# se espera. Los comandos y las opciones quedan en inglés: así se escriben.

## Los comandos y sus opciones (ayuda, y descripciones de los comandos de Discord: 100 caracteres como máximo)

cmd-help = Mostrar los comandos, o la ayuda de un comando.
cmd-windows = Listar las ventanas de oportunidad política abiertas o que se abren pronto.
cmd-window-show = Mostrar una ventana: fechas, prioridad, etiquetas, motivos, quién le da seguimiento.
cmd-window-claim = Hacerse cargo de una ventana: usted le da seguimiento.
cmd-window-release = Liberar una ventana de la que se hizo cargo, para que otra persona pueda tomarla.
cmd-window-note = Añadir una nota a una ventana: qué se hizo, con quién se reunió.
cmd-window-done = Marcar una ventana como completada.
cmd-window-snooze = Posponer los recordatorios de una ventana durante un tiempo.
cmd-calendar = Listar eventos del calendario: elecciones, nuevos gobiernos, plazos de OGP.
cmd-member = Mostrar un miembro de OGP: estado, historial, plan de acción, próximos eventos.
cmd-feeds = Mostrar el estado de cada fuente.
cmd-feeds-sync = Sincronizar las fuentes ahora.
cmd-rules-check = Comprobar los archivos de reglas.
cmd-rules-reload = Recargar los archivos de reglas; si tienen errores, siguen las últimas reglas válidas.
cmd-rules-test = Mostrar qué registros coinciden hoy con una regla.
cmd-subscribe = Hacer que esta sala siga un país, una región o un tema.
cmd-unsubscribe = Hacer que esta sala deje de seguir un país, una región o un tema.
cmd-subscriptions = Listar lo que sigue esta sala.
cmd-peers-list = Listar los administradores y los pares del Comité Directivo.
cmd-peers-add = Añadir un par o un administrador, o cambiar su rol, su región, su país o su organización.
cmd-peers-remove = Quitar un par o un administrador.
cmd-language = Mostrar o elegir el idioma en que Vigie le responde (a usted o a esta sala).

opt-command = el comando que explicar
opt-scope = un país, una región o un tema
opt-within = hasta dónde mirar hacia adelante (90 días por defecto)
opt-at = el día desde el que mirar: viaje en el tiempo
opt-id = el identificador de la ventana, tal como lo muestra `windows`
opt-text = el texto de la nota
opt-duration = durante cuánto tiempo
opt-country = el país
opt-from = el primer día
opt-to = el último día
opt-feed = la fuente (sin ella, todas las fuentes)
opt-rule = el nombre de la regla
opt-topic = qué seguir
opt-user = la persona
opt-role = su rol (par por defecto)
opt-region = su región
opt-language = el idioma
opt-room = para toda la sala (administradores)

## Cómo es cada tipo de valor

expect-text = un texto
expect-window-id = un identificador de ventana (w- seguido de 12 dígitos hexadecimales), como w-2aa8f74113a8
expect-country = un código de país como KE, o una subdivisión como ES-MD
expect-scope = un código de país (KE), una región (africa-middle-east, americas, asia-pacific, europe) o un tema (political-transition)
expect-topic = country:CODE, region:REGION o theme:THEME, como country:KE
expect-duration = una duración de un minuto a diez años, como 7d, 12h o 2w
expect-date = un día escrito AAAA-MM-DD, como 2026-05-01
expect-user = una persona como @alice:example.org o discord:123456789012345678
expect-role = admin o peer
expect-region = una región entre africa-middle-east, americas, asia-pacific y europe
expect-language = un idioma entre en, fr y es
expect-feed = el nombre de una fuente, tal como las lista `feeds`
expect-rule = el nombre de una regla, tal como las lista `rules check`
expect-command = el nombre de un comando, tal como los lista `help`
expect-switch = nada, pues es una opción sin valor

## Ayuda

help-title = Comandos de Vigie
help-footer = Escriba `help COMMAND` para ver los detalles, por ejemplo `help window claim`. ◆ señala los comandos para pares del Comité Directivo, ★ los comandos para administradores.
help-usage = Uso:
help-who = Quién puede usarlo: { $level ->
    [admin] los administradores (la secretaría).
    [peer] los pares del Comité Directivo y los administradores.
   *[anyone] cualquier persona.
}

## Errores

err-empty = Aquí no hay ningún comando; escriba `help` para ver la lista.
err-unclosed-quote = Unas comillas se abren y nunca se cierran; ciérrelas, o escriba el texto sin comillas.
err-unknown-command = «{ $given }» no es un comando; { $suggestion ->
    [none] escriba `help` para ver la lista.
   *[other] ¿quiso decir `{ $suggestion }`?
}
err-unknown-subcommand = { $given ->
    [none] `{ $root }` necesita una palabra más
   *[other] `{ $root } { $given }` no es un comando
}; { $suggestion ->
    [none] elija entre { $choices }.
   *[other] ¿quiso decir `{ $root } { $suggestion }`?
}
err-missing = A `{ $command }` le falta { $option }; se espera `{ $usage }`.
err-too-many = `{ $command }` no admite «{ $extra }»; se espera `{ $usage }`.
err-unknown-option = `{ $command }` no tiene la opción { $given }; { $suggestion ->
    [none] se espera `{ $usage }`.
   *[other] ¿quiso decir { $suggestion }?
}
err-no-value = La opción --{ $option } necesita un valor; se espera `{ $usage }`.
err-repeated = La opción --{ $option } aparece dos veces; se espera una sola vez: `{ $usage }`.
err-invalid = «{ $given }» no es válido aquí; se espera { $expected }.
err-refused = `{ $command }` es solo para { $level ->
    [admin] los administradores (la secretaría)
   *[peer] los pares del Comité Directivo
}; pida a un administrador que le añada con `peers add`.
err-internal = Algo falló dentro de Vigie y no se modificó nada; la secretaría puede encontrarlo en los registros con la referencia { $reference }.
notice-undecryptable = No pude descifrar ese mensaje; por favor, envíelo de nuevo, y si sigue ocurriendo, vuelva a invitarme a la sala.

## Ventanas

state-upcoming = por abrirse
state-open = abierta
state-closing = por cerrarse
state-closed = cerrada
state-cancelled = cancelada
state-moved = reprogramada
priority-low = baja
priority-normal = normal
priority-high = alta
priority-urgent = urgente

windows-none = Ninguna ventana está abierta ni se abre en los { $days } días siguientes al { $today }.
windows-title = { $count ->
    [one] Una ventana abierta o que se abre
   *[other] { $count } ventanas abiertas o que se abren
} en los { $days } días siguientes al { $today }:
windows-more = …y { $count } más; acote la lista con un país, una región o un tema.
window-line = `{ $id }` **{ $title }** — { $state }, { $opens } → { $closes }, prioridad { $priority }
window-line-claimed = , a cargo de { $user }
window-line-done = , completada por { $user }
window-unknown = No hay ninguna ventana { $id } a fecha de { $today }; `windows` lista las actuales.
window-show-state = Estado: { $state } · prioridad { $priority } · regla `{ $rule }`
window-show-dates = Se abre el { $opens }, por cerrarse desde el { $closing }, se cierra el { $closes }{ $estimated ->
    [yes] {" "}(fechas estimadas)
   *[no] {""}
}
window-show-labels = Etiquetas: { $labels }
window-show-why = Por qué:
window-show-claimed = { $user } se hizo cargo el { $at }.
window-show-unclaimed = Nadie se ha hecho cargo todavía: `window claim { $id }`.
window-show-done = Completada, marcada por { $user } el { $at }.
window-show-snoozed = Recordatorios pospuestos hasta el { $until } por { $user }.
window-show-notes = Notas:

claim-ok = Se ha hecho cargo de `{ $id }` ({ $title }): usted le da seguimiento. Registre los avances con `window note { $id } …` y ciérrela con `window done { $id }`.
claim-already-yours = Ya se había hecho cargo de `{ $id }`.
claim-taken = `{ $id }` ya está a cargo de { $user }; pida a esa persona, o a un administrador, que la libere primero.
release-ok = Ha liberado `{ $id }`; ahora otra persona puede hacerse cargo.
release-not-claimed = Nadie está a cargo de `{ $id }`, así que no hay nada que liberar.
release-not-yours = `{ $id }` está a cargo de { $user }, no de usted; solo esa persona o un administrador puede liberarla.
note-ok = Nota añadida a `{ $id }`.
note-too-long = La nota supera los { $max } caracteres; se espera una nota más corta.
done-ok = `{ $id }` está marcada como completada. ¡Gracias!
done-already = `{ $id }` ya estaba marcada como completada.
snooze-ok = Los recordatorios de `{ $id }` quedan pospuestos hasta el { $until }: ninguno antes de esa fecha.

## Calendario, miembros, fuentes, reglas

calendar-none = Ningún evento en { $country } del { $from } al { $to }.
calendar-title = { $count ->
    [one] Un evento
   *[other] { $count } eventos
} en { $country } del { $from } al { $to }:
calendar-more = …y { $count } más; acote las fechas con --from y --to.
calendar-backwards = El último día, { $to }, es anterior al primer día, { $from }; se espera --to igual o posterior a --from.
member-unknown = { $country } no es un miembro de OGP que Vigie conozca; `calendar { $country }` muestra sus elecciones.
member-title = **{ $name }** ({ $code }), miembro { $level } de OGP, región { $region }
member-status = Estado: { $status } desde el { $since }
member-plan = Plan de acción: { $start } → { $end }
member-history = Historial de estado:
member-events = { $count ->
    [0] No se conoce ningún evento próximo.
    [one] Un evento próximo:
   *[other] { $count } eventos próximos:
}
feeds-title = Fuentes:
feed-line = `{ $name }` ({ $kind }): { $state }, { $items } elementos, último éxito { $success }
feed-ok = funciona
feed-failing = con fallos
feed-never = nunca sincronizada
feed-error = último error: { $error }
feeds-unknown = No hay ninguna fuente llamada «{ $name }»; elija entre { $names }.
feeds-sync-synced = { $items } elementos: { $added } añadidos, { $changed } modificados, { $removed } eliminados
feeds-sync-not-modified = sin cambios desde la última sincronización
feeds-sync-failed = falló, se conservan los últimos datos válidos: { $error }
rules-ok = Los archivos de reglas son válidos: { $count } reglas.
rules-errors = Los archivos de reglas tienen { $count ->
    [one] un problema
   *[other] { $count } problemas
}:
rules-reloaded = Las reglas se han recargado: { $count } reglas están en vigor.
rules-unchanged = Los archivos de reglas no han cambiado: { $count } reglas están en vigor.
rules-kept = Los archivos de reglas no se pueden cargar, así que siguen en vigor las últimas reglas válidas:
rules-test-unknown = No hay ninguna regla llamada «{ $rule }»; elija entre { $names }.
rules-test-title = La regla `{ $rule }` coincide con { $count } registros a fecha de { $today }:

## Salas, personas, idiomas

subscribe-ok = Esta sala ahora sigue { $topic }.
subscribe-already = Esta sala ya sigue { $topic }; no ha cambiado nada.
unsubscribe-ok = Esta sala ya no sigue { $topic }.
unsubscribe-absent = Esta sala no sigue { $topic }; `subscriptions` lista lo que sigue.
subscriptions-none = Esta sala todavía no sigue nada; pruebe `subscribe region:europe`.
subscriptions-title = Esta sala sigue:
peers-none = Todavía no hay pares ni administradores; un administrador los añade con `peers add`.
peers-title = Administradores y pares:
peer-line = { $user }: { $role ->
    [admin] administrador
   *[peer] par
}{ $region ->
    [none] {""}
   *[other] , { $region }
}
peers-added = { $user } es ahora { $role ->
    [admin] administrador
   *[peer] par
}{ $region ->
    [none] .
   *[other] {" "}para { $region }.
}
peers-removed = { $user } ya no es par ni administrador.
peers-absent = { $user } no es par ni administrador; `peers list` los lista.
peers-remove-self = No puede quitar su propio acceso; pídaselo a otro administrador.
lang-en = inglés
lang-fr = francés
lang-es = español
language-show = Le respondo en { $language } (su elección: { $user }; la de esta sala: { $room }). Elija con `language es` para usted, o `language es --room` para la sala.
language-set-user = Desde ahora le respondo en { $language }.
language-set-room = Desde ahora, en esta sala, respondo en { $language }.

## Anuncios (la consola los muestra cuando cambian las ventanas)

announce-new = Nueva ventana `{ $id }`: **{ $title }** — { $state }, { $opens } → { $closes }.
announce-state = La ventana `{ $id }` (**{ $title }**) ahora está { $state }: { $opens } → { $closes }.

## Comandos de las alertas

cmd-silence = Silenciar las alertas que coinciden, por un tiempo, diciendo por qué.
cmd-silences = Listar los silencios activos.
cmd-unsilence = Terminar un silencio ahora.
cmd-digest-now = Mostrar ahora el resumen de esta sala: las ventanas abiertas o por cerrar que sigue.
cmd-why = Decir si y cuándo se notificará una ventana en esta sala, y qué la silencia.
cmd-audit = Mostrar los últimos cambios hechos por personas, del más reciente al más antiguo.

opt-matchers = qué alertas: filtros como country=KE o region=~"europe|americas"
opt-reason = por qué, para quien lo pregunte
opt-silence-id = el número del silencio, como lo muestra `silences`
opt-window = el identificador de la ventana, como lo muestra `windows`
opt-why-room = la sala (o persona) por la que se pregunta; esta sala si no
opt-target = una ventana, una persona, una sala o silence:N (todo si no)

expect-matchers = filtros de etiquetas como country=KE, priority!=low o region=~"europe|americas"
expect-silence-id = el número de un silencio, como lo muestra `silences`, por ejemplo 3
expect-room = una sala como !abc:example.org, o una persona como @alice:example.org
expect-target = un identificador de ventana, una persona (@alice:example.org), una sala (!abc:example.org) o silence:3

alerting-off = Las alertas no están en marcha en este Vigie; un administrador las activa en la sección [alerts] de config.toml.
silence-ok = El silencio #{ $id } dura hasta el { $until }: las alertas que coinciden con { $matchers } no se notifican. Para terminarlo antes: `unsilence { $id }`.
silence-too-wide = { $matchers } silenciaría todas las alertas; se esperaba al menos un filtro que las alertas deban cumplir, como country=KE o window=w-2aa8f74113a8.
silence-reason-too-long = El motivo tiene más de { $max } caracteres; se esperaba un motivo más corto.
silences-none = No hay ningún silencio activo; `silence country=KE 7d motivo` silencia las alertas de un país durante una semana.
silences-title = { $count ->
    [one] Un silencio activo
   *[other] { $count } silencios activos
}:
silence-line = `#{ $id }` { $matchers } hasta el { $until }, por { $author }: { $reason }
unsilence-ok = El silencio #{ $id } ha terminado: las alertas que silenciaba vuelven a notificarse.
unsilence-over = El silencio #{ $id } ya había terminado; nada ha cambiado.
unsilence-unknown = No hay ningún silencio #{ $id }; `silences` lista los activos.
why-this-room = esta sala
why-no-alert = `{ $id }` aún no tiene alerta: las alertas nacen de las ventanas próximas, abiertas o por cerrar, en cada evaluación.
why-not-routed = `{ $id }` no se envía a { $room }: ninguna ruta ni suscripción de allí la retiene.
why-pending = `{ $id }` aún no está abierta: se avisará a { $room } cuando se abra.
why-muted = `{ $id }` está silenciada, así que no se avisa a { $room }.
why-due = `{ $id }` se notificará en { $room } el { $at }, { $reason ->
    [new] como alerta nueva.
    [update] como actualización.
    [reminder] como recordatorio.
   *[resolved] como resuelta.
}
why-sent = Se avisó a { $room } de `{ $id }` el { $at }{ $next ->
    [none] .
   *[other] ; el próximo recordatorio está previsto el { $next }.
}
why-finished = `{ $id }` se resolvió antes de que se avisara a { $room } de que se disparó: no hay nada que enviar.
why-everything = todo
why-routes = Rutas: { $routes }
why-mutes = Lo que la silencia o la retrasa:
why-mute-silence = el silencio `#{ $id }` de { $author } hasta el { $until }: { $reason }
why-mute-inhibited = retenida por la alerta `{ $by }`: { $why }
why-mute-quiet = las horas de silencio de { $room }, hasta el { $until }
why-elsewhere = También se envía a { $receivers }.
audit-none = El registro de auditoría aún no tiene nada{ $target ->
    [none] {""}
   *[other] {" "}sobre { $target }
}.
audit-title = { $target ->
    [none] Los últimos cambios
   *[other] Los últimos cambios de { $target }
}, del más reciente al más antiguo:
audit-line = { $at }, { $actor }: `{ $action }` { $target }

## Regiones de OGP

region-africa-middle-east = África y Oriente Medio
region-americas = Las Américas
region-asia-pacific = Asia y el Pacífico
region-europe = Europa

## Alerts sent to rooms (bot/src/alert/render.rs)

alert-heading = { $reason ->
    [new] **Nueva alerta**
    [update] **Alerta actualizada**
    [reminder] **Recordatorio**
   *[resolved] **Terminado**
} · { $count ->
    [one] una alerta
   *[other] { $count } alertas
}
alert-mark-changed = nueva o modificada
alert-mark-resolved = terminada
alert-state-pending = pendiente
alert-state-firing = abierta
alert-state-resolved = terminada
alert-priority = prioridad { $priority }
alert-claimed = tomada por { $user }
alert-unclaimed = nadie la ha tomado
alert-member-status = estado del miembro: { $status }
alert-stale = una fuente detrás de ella está fallando: sus fechas pueden estar desactualizadas
alert-why-new = Por qué: { $count ->
    [one] una alerta nueva
   *[other] { $count } alertas nuevas
} para esta sala
alert-why-update = Por qué: { $count ->
    [one] una alerta apareció, cambió o terminó
   *[other] { $count } alertas aparecieron, cambiaron o terminaron
} desde el último mensaje
alert-why-reminder = Por qué: un recordatorio, sigue abierta desde el último mensaje del { $since }
alert-why-resolved = Por qué: todo lo que se comunicó a esta sala en este grupo ha terminado
alert-why-route = enviado aquí por la ruta { $route }, que pide { $matchers }
alert-why-route-all = enviado aquí por la ruta { $route }, que toma todas las alertas
alert-why-subscription = enviado aquí porque esta sala sigue { $matchers }
alert-why-grouped = agrupado por { $labels }
alert-hint-claim = Para tomar una ventana: `{ $command }`, o reaccione con ✋ a este mensaje.
alert-escalation-chair = { $mention }: nadie ha tomado **{ $summary }** (`{ $id }`) en { $days } días desde que se abrió. ¿Podría encontrar a alguien?
alert-escalation-why-chair = Por qué: escalamiento, nadie la tomó { $after } después de abrirse, así que se consulta a la presidencia de la región.
alert-escalation-wider = Nadie ha tomado **{ $summary }** (`{ $id }`) en { $days } días desde que se abrió. ¿Alguien aquí puede encargarse?
alert-escalation-why-wider = Por qué: escalamiento, sigue sin nadie después de consultar a la presidencia de la región.
alert-digest-heading = **Resumen{ $name ->
    [none] {""}
   *[other] {" "}{ $name }
}** · { $count ->
    [0] ninguna ventana abierta
    [one] una ventana abierta
   *[other] { $count } ventanas abiertas
}
alert-digest-everything = No se enruta nada en particular a esta sala: se listan todas las ventanas abiertas.
alert-digest-none = No hay ninguna ventana abierta.
alert-digest-why = Por qué: el resumen programado { $name } ({ $cron }, { $tz }), ejecución del { $run }.
alert-digest-now-why = Por qué: pedido con `digest now`.
alert-failure = **No se pudo entregar un mensaje** a { $receiver } (bandeja de salida n.º { $id }, { $reason }) tras { $attempts } intento(s): { $error }
alert-failure-why = Por qué: esta sala recibe los informes de entregas fallidas (alerts.admin_receivers).
alert-hint-claim-command = Para tomar una ventana: `{ $command }`.
alert-react-claim-how = Este mensaje trata de varias ventanas (o de ninguna): tome una con `{ $prefix } window claim ID`, con el identificador de la ventana.

## Premios (bot/src/chat/award/, bot/src/award/)

cmd-award-open = Abrir una campaña de premios: categorías, método, escaños, secreto, plazos, padrón.
cmd-award-list = Listar las campañas de premios.
cmd-award-show = Mostrar una campaña: su fase, sus categorías, sus reglas y su calendario.
cmd-award-close = Dar el siguiente paso: cerrar las nominaciones y abrir la votación, o cerrar la votación.
cmd-award-results = Mostrar los ganadores de una campaña cerrada, con un resumen ronda por ronda.
cmd-award-export = Exportar las papeletas de una campaña cerrada como archivos BLT, para recontar.
cmd-nominate = Nominar a una persona o institución en una categoría, con una justificación.
cmd-second = Respaldar una nominación, para que se mantenga al cerrar las nominaciones.
cmd-withdraw = Retirar una nominación que usted hizo (o que le nombra).
cmd-nominations = Listar las nominaciones de una campaña con sus respaldos.
cmd-vote = Votar o cambiar su papeleta; cuenta la última antes del cierre.
cmd-recuse = Declarar un conflicto de intereses: no votará en su categoría.
cmd-turnout = Mostrar cuántas personas han votado, sin nombres.

opt-categories = las categorías: slug, slug=Título, o slug:MÉTODO:ESCAÑOS=Título (una sola sin esto)
opt-method = el método de recuento (schulze por defecto; stv para varios escaños)
opt-seats = cuántos ganan en cada categoría (1 por defecto)
opt-seconds = respaldos que necesita una nominación (1 por defecto)
opt-public = papeletas públicas: los votos pueden mostrarse (secretas sin esto)
opt-nominations-close = cierre de las nominaciones (un admin las cierra sin esto)
opt-voting-open = apertura de la votación (al cerrar las nominaciones sin esto)
opt-voting-close = cierre de la votación (un admin la cierra sin esto)
opt-remind = recordar a quien no ha votado, este plazo antes del cierre de la votación
opt-roll = el padrón: solo estas personas votan
opt-voter-region = solo votan los pares de esta región
opt-title = el título de la campaña
opt-campaign = el número de la campaña, como lo muestra `award list`
opt-category = el identificador de la categoría
opt-nominee-country = el país o la jurisdicción de la persona nominada
opt-nominee = el nombre de la persona nominada (entre comillas si tiene espacios)
opt-nominee-user = la cuenta de chat de la persona nominada, si la tiene
opt-organisation = la organización de la persona nominada
opt-institution = la nominación es una institución, no una persona
opt-replaces = editar esta nominación suya en lugar de hacer una nueva
opt-citation = por qué lo merece
opt-nomination = la nominación, como #3 o 1#3
opt-ballot = [categoría] y luego sus opciones, como #2 > #1 > #3 (ver help vote)

expect-campaign = el número de una campaña, como lo muestra `award list`, por ejemplo 1
expect-nomination = una nominación como #3, o 1#3 para la nominación 3 de la campaña 1
expect-category = el identificador de una categoría: minúsculas, cifras y guiones, como champion
expect-categories = identificadores separados por comas, cada uno opcionalmente con su método y escaños y luego un título, slug:MÉTODO:ESCAÑOS=Título, como "champion:stv:3=Campeón, local:irv, best"
expect-method = plurality, approval, score (o score:5), star, borda, irv, stv, stv-meek, schulze o ranked-pairs
expect-count = un número entero de 0 a 100
expect-moment = un día (2027-03-01, a las 00:00 UTC), un día y una hora UTC (2027-03-01T18:00), o un plazo como 7d
expect-users = personas separadas por comas, como @ana:example.org,@bo:example.org
expect-name = un nombre de 1 a 200 caracteres, entre comillas si tiene espacios

help-more-vote = Una papeleta se escribe según el método de la categoría: orden `#2 > #1 > #3` (o `#2 #1 #3`; Schulze y ranked pairs aceptan también `#2 = #1 > #3`), aprobación `#1 #3`, puntuación `#1=5 #2=3`, una sola opción `#2`. Empiece por el identificador de la categoría si la campaña tiene varias: `vote 1 champion #2 > #1`.

award-name = «{ $title }» (campaña { $id })
award-phase-draft = en borrador
award-phase-nominations-open = abierta a nominaciones
award-phase-nominations-closed = cerrada a nominaciones, antes de la votación
award-phase-voting-open = abierta a votación
award-phase-voting-closed = cerrada a votación
award-phase-certified = certificada
award-by-admin = cuando un admin lo decida
award-ballots = { $count ->
    [one] una papeleta
   *[other] { $count } papeletas
}
award-no-region = { $count } sin región
award-status-active = activa
award-status-withdrawn = retirada
award-status-lapsed = caducada (pocos respaldos)
award-form-single = una persona nominada, como #2
award-form-approval = las personas nominadas que aprueba, como #1 #3
award-form-score = una puntuación para las personas que puntúa, como #1=5 #2=3
award-form-ranked = las personas nominadas en orden de preferencia, como #2 > #1 > #3

award-announce-nominations-open = **Las nominaciones están abiertas** para { $campaign }. Nomine con `{ $prefix }nominate { $id } CATEGORÍA PAÍS "NOMBRE" JUSTIFICACIÓN`, respalde con `{ $prefix }second { $id }#N`.
award-announce-nominations-closed = **Las nominaciones están cerradas** para { $campaign }: { $count ->
    [0] ninguna nominación se mantiene.
    [one] una nominación se mantiene.
   *[other] { $count } nominaciones se mantienen.
}
award-announce-voting-open = **La votación está abierta** en { $campaign }{ $secret ->
    [yes] {" "}(voto secreto)
   *[other] {""}
}, hasta el { $close }. Vote con `{ $prefix }vote { $id } …` (ver `help vote`); puede cambiar su papeleta hasta el cierre, cuenta la última.
award-announce-commitment = Compromiso de desempate (SHA-256 de la semilla revelada al cierre): `{ $commitment }`
award-announce-lapsed = La nominación { $id } caducó: no tenía sus respaldos al cerrar las nominaciones.
award-announce-empty = La categoría { $category } no tiene a nadie en su papeleta: no hay votación en ella.
award-remind-voting = **Recordatorio**: la votación de { $campaign } cierra el { $at }; { $voters ->
    [0] nadie ha votado todavía.
    [one] una persona ha votado hasta ahora.
   *[other] { $voters } personas han votado hasta ahora.
} Vote con `{ $prefix }vote { $id } …`.
award-remind-nominations = **Recordatorio**: las nominaciones de { $campaign } cierran el { $at }. Nomine con `{ $prefix }nominate { $id } …`.
award-remind-personal = Todavía no ha votado en { $campaign }; la votación cierra el { $close }. Vote con `{ $prefix }vote { $id } …` (ver `help vote`).
award-direct-ballot = **La votación está abierta** en { $campaign } (voto secreto), hasta el { $close }. Vote aquí, en este chat directo que solo usted y Vigie comparten: `{ $prefix }vote { $id } …` (ver `help vote`). Puede cambiar su papeleta hasta el cierre; cuenta la última.
award-vote-in-direct = { $campaign } es una votación secreta, así que esta papeleta no se cuenta: vote en su chat directo con Vigie, donde acaba de enviarle la papeleta.
award-redact-reason = papeleta secreta
award-redact-yourself = Vigie no puede quitar su mensaje de esta sala: bórrelo usted mismo, para que nadie lea su papeleta.
award-chart-title = Resultados de { $campaign }
award-chart-votes = barras: votos
award-chart-approvals = barras: aprobaciones
award-chart-scores = barras: puntuación total
award-chart-points = barras: puntos Borda
award-chart-last-round = barras: votos en la última ronda (un candidato excluido: sus votos al ser excluido)
award-chart-wins = barras: duelos ganados frente a los demás candidatos
award-chart-wins-value = { $count ->
    [one] un duelo ganado
   *[other] { $count } duelos ganados
}
award-chart-elected = elegido

award-results-title = Resultados de **{ $campaign }**:
award-results-category = **{ $category }** (`{ $slug }`, { $method }, { $seats ->
    [one] un escaño
   *[other] { $seats } escaños
})
award-results-winners = Elegidos: { $winners }
award-results-nobody = nadie
award-results-round = Ronda { $number }:
award-results-more-rounds = … y { $count } ronda(s) más: `award export` da las papeletas para recontarlas todas con `vigie tally`.
award-results-no-ballots = No se emitió ninguna papeleta en esta categoría.
award-results-no-count = Esta categoría no tiene resultado: { $reason }
award-results-seed = Semilla de desempate revelada: `{ $seed }` (su SHA-256 es el compromiso `{ $commitment }`).
award-export-title = Papeletas de { $campaign }, como archivos BLT (recuente con `vigie tally ARCHIVO --method …`):
award-export-scores = La categoría { $category } se cuenta por { $method }, cuyas papeletas son puntuaciones o aprobaciones, que BLT no puede contener.

award-list-none = Todavía no hay ninguna campaña de premios; un admin abre una con `award open`.
award-list-title = { $count ->
    [one] Una campaña de premios:
   *[other] { $count } campañas de premios:
}
award-list-line = { $campaign }: { $phase }, { $nominations } nominación(es) activa(s)
award-show-title = { $campaign } está { $phase }, con { $nominations } nominación(es) activa(s).
award-show-category = `{ $slug }` «{ $title }»: { $method }, { $seats } escaño(s); una papeleta da { $form }
award-show-rules = Papeletas { $secret ->
    [yes] secretas: nadie ve quién votó qué
   *[other] públicas: los votos pueden mostrarse con sus votantes
}; una nominación necesita { $seconds } respaldo(s)
award-show-roll = Votantes: las { $count } personas del padrón
award-show-regions = Votantes: los pares de { $regions }
award-show-peers = Votantes: los pares del comité directivo y los admins
award-show-schedule = Cierre de nominaciones: { $nominations } · apertura de la votación: { $open } · cierre de la votación: { $close }
award-show-reminder = Un recordatorio { $hours } hora(s) antes del cierre de la votación
award-show-seed = Semilla de desempate revelada: `{ $seed }`

award-nominate-ok = Nominación **{ $id }**: { $nominee } en `{ $category }`. Necesita { $required } respaldo(s) de otras personas: `{ $prefix }second { $id }`.
award-nominate-edited = La nominación **{ $id }** queda así: { $nominee } en `{ $category }`.
award-nominate-seconds-cleared = Sus respaldos se borraron, porque cambió la persona nominada o la categoría.
award-second-ok = Usted respalda **{ $id }**: { $seconds } de { $required } respaldo(s).
award-withdraw-ok = La nominación **{ $id }** está retirada.
award-nominations-none = { $campaign } todavía no tiene nominaciones.
award-nominations-title = Nominaciones de { $campaign } ({ $count }):
award-nominations-line = **{ $id }** { $nominee } en `{ $category }`, por { $nominator }, { $seconds }/{ $required } respaldo(s), { $status }: { $citation }
award-vote-ok = Su papeleta en `{ $category }` de { $campaign } quedó registrada{ $replaced ->
    [yes] , en lugar de la anterior
   *[other] {""}
}. Puede cambiarla hasta el cierre de la votación; cuenta la última.
award-recuse-ok = Declaró un conflicto con **{ $id }**: no votará en `{ $category }`{ $removed ->
    [yes] , y se retiró la papeleta que había emitido allí
   *[other] {""}
}.
award-turnout = { $campaign }: { $voters ->
    [one] una persona ha votado
   *[other] { $voters } personas han votado
}.
award-turnout-roll = { $campaign }: han votado { $voters } de las { $eligible } personas del padrón.
award-turnout-regions = Por región: { $regions }

award-ineligible-role = requiere el rol { $need } o superior, y usted es { $have }
award-ineligible-region = está abierto a las regiones { $allowed }, y su región es { $have }
award-ineligible-roll = está reservado a las personas del padrón, y usted no está; pida a un admin que le añada
award-recusal-declared = usted declaró un conflicto de intereses
award-recusal-nominee = usted es la persona nominada
award-recusal-country = usted y la persona nominada son de { $country }
award-recusal-organisation = usted y la persona nominada están en { $organisation }

award-err-unknown-campaign = No hay campaña de premios { $id }; se esperaba el número de una que `award list` muestre.
award-err-which-campaign = { $count ->
    [0] Ninguna campaña está abierta para esto
   *[other] Hay varias campañas abiertas
}, así que #{ $number } no dice cuál; escriba la nominación con su campaña, como 1#{ $number }.
award-err-past = { $option } ya pasó; se esperaba un momento futuro, como 7d o 2027-03-01.
award-err-schedule-order = Los plazos están desordenados; se esperaba el cierre de nominaciones, luego la apertura de la votación, luego su cierre.
award-err-remind-needs-close = Un recordatorio necesita --voting-close; se esperaba una hora de cierre de la votación antes de la cual recordar.
award-err-closed = { $campaign } ya está cerrada; `award results` muestra sus resultados.
award-err-citation-long = La justificación es demasiado larga; se esperaban como mucho { $max } caracteres.
award-err-replaces-elsewhere = Esa nominación no está en la campaña { $id }; se esperaba una de las suyas, como #3.
award-err-vote-category = La campaña { $id } tiene varias categorías; empiece la papeleta por una de { $known }, como `vote { $id } CATEGORÍA #2 > #1`.
award-err-turnout-before = { $campaign } está { $phase }; la participación se cuenta desde la apertura de la votación.
award-err-title = El título de la campaña está { $problem ->
    [empty] vacío
   *[other] demasiado largo
}; se esperaban de 1 a 200 caracteres.
award-err-admin-only = Solo un admin puede hacer esto en «{ $campaign }»; pídalo a un admin de la sala.
award-err-not-eligible = Usted no puede { $activity ->
    [nominate] nominar
    [second] respaldar nominaciones
   *[vote] votar
} en «{ $campaign }»: { $reason }.
award-err-illegal-step = «{ $campaign }» está { $phase }, así que no puede { $step ->
    [open-nominations] abrir las nominaciones
    [close-nominations] cerrar las nominaciones
    [open-voting] abrir la votación
    [close-voting] cerrar la votación
    [certify] certificarse
   *[remind] enviar ese recordatorio
}; se esperaba su paso siguiente.
award-err-rules-locked = Las reglas de «{ $campaign }» están fijadas desde que se abrió la votación; solo cambian antes.
award-err-nominations-not-open = «{ $campaign }» está { $phase }; las nominaciones se hacen, respaldan, editan y retiran solo mientras están abiertas.
award-err-nominations-closed = Las nominaciones de «{ $campaign }» cerraron el { $closed }; se esperaba un cambio antes del cierre.
award-err-voting-not-open = «{ $campaign }» está { $phase }; solo se vota mientras la votación está abierta.
award-err-voting-closed = La votación de «{ $campaign }» cerró el { $closed }; solo se vota o se cambia la papeleta antes del cierre.
award-err-unknown-category = «{ $campaign }» no tiene la categoría «{ $category }»; se esperaba una de: { $known }.
award-err-duplicate-category = «{ $campaign }» ya tiene una categoría «{ $category }»; se esperaba un identificador sin usar.
award-err-category-in-use = La categoría «{ $category }» tiene { $count } nominación(es); solo se puede quitar una categoría sin ninguna.
award-err-unknown-nomination = «{ $campaign }» no tiene la nominación { $id }; se esperaba el número de una que liste `nominations`.
award-err-duplicate-nomination = { $nominee } ya está nominado en «{ $category }» como { $id }; respalde { $id } en lugar de nominar de nuevo.
award-err-not-yours = Solo quien hizo { $id }, o un admin, puede { $verb ->
    [edit] editarla
   *[withdraw] retirarla
}.
award-err-not-active = La nominación { $id } está { $status }; solo una nominación activa puede cambiar.
award-err-own-nomination = Usted { $relation ->
    [made] hizo
   *[nominee] es la persona nominada de
} { $id }; un respaldo debe venir de otra persona.
award-err-already-seconded = Ya respaldó { $id }; cada persona respalda una nominación una vez.
award-err-invalid = Se rechaza: { $problem }.
award-err-invalid-method = La categoría «{ $category }» no se puede contar así: { $problem }.
award-err-invalid-ballot = La papeleta de «{ $category }» se rechaza: { $problem }.
award-err-recused = Usted está recusado para { $id } en «{ $category }» porque { $reason }; quien está recusado no vota en esa categoría.
award-err-already-recused = Ya declaró un conflicto con { $id }; una declaración vale hasta el final de la campaña.
award-err-no-method = La categoría «{ $category }» no tiene método de recuento; se esperaba uno declarado antes de abrir la votación.
award-err-no-commitment = «{ $campaign }» no tiene compromiso de desempate; se esperaba el SHA-256 de una semilla secreta antes de abrir la votación.
award-err-quorum-without-roll = Un quórum del { $percent } % del padrón necesita un padrón; fije un padrón, o un número mínimo de papeletas.
award-err-seed-mismatch = La semilla no corresponde al compromiso { $commitment }; se esperaba la semilla exacta cuyo SHA-256 es ese.
award-err-seed-revealed = La semilla de desempate de «{ $campaign }» ya está revelada; se revela una vez.
award-err-seed-not-revealed = La semilla de desempate de «{ $campaign }» aún no está revelada; revélela antes de certificar.
award-err-not-closed = «{ $campaign }» está { $phase }; resultados y papeletas se muestran solo cuando la votación ha cerrado.
award-err-too-late = «{ $campaign }» está { $phase }; esto solo es posible antes del cierre de la votación.
award-err-quorum = La categoría «{ $category }» tuvo { $ballots } papeleta(s), por debajo de su quórum de { $required }; no tiene resultado.
award-err-empty-ballot = La categoría «{ $category }» no tiene a nadie en su papeleta; no hay nada que votar.

award-ballot-word = «{ $word }» no es una opción de papeleta; se esperaba { $form }.
award-ballot-form = Esta no es una papeleta { $method }; se esperaba { $form }.
award-ballot-empty = La papeleta no elige a nadie; se esperaba { $form }.
award-ballot-not-on = { $id } no está en la papeleta de `{ $category }`; se esperaban personas entre { $listed }.
award-ballot-twice = La papeleta nombra a { $id } dos veces; se esperaba cada persona como mucho una vez.
award-ballot-score = La papeleta da a { $id } una puntuación de { $score }; se esperaban puntuaciones de 0 a { $max }.
award-ballot-equal = La papeleta empata a varias personas, lo que { $method } no acepta; se esperaba una persona por puesto, como #2 > #1.
award-ballot-too-many = La papeleta aprueba a demasiadas personas; se esperaban como mucho { $max }.

## Encuestas rápidas
cmd-poll = Hacer una encuesta rápida y abierta en la sala: la pregunta y sus opciones separadas por |.
cmd-poll-close = Cerrar una encuesta ahora y mostrar sus resultados (su autor o un admin).
cmd-poll-results = Mostrar los recuentos de una encuesta: provisionales mientras está abierta, finales al cerrarse.
opt-multiple = cada persona puede elegir varias opciones
opt-closes = cuándo se cierra la encuesta: una duración como 1d, o un día y una hora UTC
opt-question = la pregunta y luego cada opción, separadas por |: `¿Almuerzo? | Pizza | Sopa`
opt-poll = el número de la encuesta
poll-opened = Encuesta { $id }: { $question }
poll-how = Responda con `{ $prefix }vote { $id } { $example }`{ $multiple ->
    [yes] , eligiendo tantas opciones como quiera
   *[other] {""}
}; cuenta la última respuesta.
poll-closes-at = Se cierra el { $at }.
poll-closes-by-hand = Sigue abierta hasta `{ $prefix }poll close { $id }`.
poll-results-open = Encuesta { $id }, «{ $question }», por ahora ({ $ballots } { $ballots ->
    [one] respuesta
   *[other] respuestas
}):
poll-results-closed = La encuesta { $id }, «{ $question }», está cerrada ({ $ballots } { $ballots ->
    [one] respuesta
   *[other] respuestas
}):
poll-results-line = { $number }. { $option }: { $count }{ $leading ->
    [yes] {" "}(en cabeza)
   *[other] {""}
}
poll-err-form = Una encuesta necesita una pregunta y al menos dos opciones, separadas por |; se esperaba `poll ¿Almuerzo? | Pizza | Sopa`.
poll-err-too-many = La encuesta tiene { $count } opciones; se esperaban como máximo { $max }.
poll-err-long = El texto que empieza por «{ $start }» es demasiado largo; se esperaban una pregunta y opciones de como máximo { $max } caracteres cada una.
poll-err-twice = La opción «{ $option }» aparece dos veces; se esperaba cada opción una sola vez.
poll-err-unknown = No hay ninguna encuesta { $id }; se esperaba el número que dio Vigie al crearla.
poll-err-not-yours = La encuesta { $id } la hizo otra persona; solo su autor o un admin pueden cerrarla.
poll-err-closed = La encuesta { $id } ya está cerrada; `{ $prefix }poll results { $id }` muestra sus resultados.

## Award campaigns in chat: recusal by country and organisation, quorum, certification

cmd-award-certify = Certificar los resultados de una campaña cerrada: pasan a ser definitivos.
opt-quorum = papeletas que necesita una categoría: 5, 30% (del censo) o 5,30%
opt-recuse-same = recusar a votantes: mismo país, organización, ambos, o ninguno (organización)
opt-peer-country = su país, para la recusación en las campañas de premios
opt-peer-organisation = su organización, para la recusación en las campañas de premios
expect-quorum = un número de papeletas (5), una parte del censo de votantes (30%), o ambos (5,30%)
expect-recusal = country, organisation, ambos como country,organisation, o none
award-show-quorum = Quórum: { $required } papeleta(s) en cada categoría (al menos { $ballots }{ $percent ->
    [0] {""}
   *[other] {" "}y el { $percent } % del censo
}); una categoría con menos no tiene resultado
award-show-quorum-none = Quórum: ninguno; toda categoría con papeletas tiene resultado
award-show-recusal = Recusación de oficio: { $same ->
    [both] un votante no vota en una categoría con una persona nominada de su país o de su organización
    [country] un votante no vota en una categoría con una persona nominada de su país
    [organisation] un votante no vota en una categoría con una persona nominada de su organización
   *[none] ninguna, salvo las propias personas nominadas y los conflictos declarados
}
award-results-provisional = Provisionales: estos resultados pasan a ser definitivos cuando un admin los certifica.
award-results-certified = Certificados el { $at }: estos resultados son definitivos.
award-results-quorum-met = Quórum alcanzado: { $ballots } papeleta(s), { $required } necesaria(s).
award-announce-certified = { $campaign } está certificada: sus resultados son definitivos. `{ $prefix }award results { $id }` los muestra.
peer-country = país { $country }
peer-organisation = organización { $organisation }
peers-added-affiliation = Las campañas de premios lo conocen por: { $affiliation }.
peers-err-country = «{ $given }» es una subdivisión, no un país; se esperaba el país de un par en dos letras (ISO 3166-1 alpha-2), como KE.

## Discord: botones en las alertas, nominación mediante un formulario

discord-button-claim = Asumir
discord-button-claim-id = Asumir { $id }
discord-button-release = Liberar
discord-button-release-id = Liberar { $id }
discord-button-snooze-day = Posponer 1 día
discord-button-snooze-week = Posponer 1 semana
discord-button-nominate = Nominar: { $category }
discord-unknown-component = Vigie no conoce este botón (puede venir de una versión anterior); escriba el comando en su lugar.
discord-nominate-title = Nominar: { $category }
discord-nominate-nominee = Nombre de la persona nominada
discord-nominate-country = Su país (dos letras, como KE)
discord-nominate-organisation = Organización (opcional)
discord-nominate-citation = Por qué merece el premio
discord-nominate-closed = La campaña { $id } no acepta nominaciones en la categoría «{ $category }»; `award show { $id }` indica en qué punto está.

# Secret ballots as private forms on Discord (platform/discord/ballot.rs).
discord-ballot-intro = **Su papeleta** en `{ $category }` de { $campaign }, que solo usted ve: { $how } Luego pulse **Votar**; puede cambiarla y votar de nuevo hasta el cierre, cuenta la última.
discord-ballot-how-ranked = elija a sus candidaturas por orden de preferencia; ordene tantas como quiera.
discord-ballot-how-single = elija una candidatura.
discord-ballot-how-approval = { $max ->
    [0] elija todas las candidaturas que aprueba.
   *[other] elija las candidaturas que aprueba, { $max } como máximo.
}
discord-ballot-how-score = dé a las candidaturas que puntúa una nota de 0 a { $max }; las que deje en blanco no tienen nota.
discord-ballot-so-far = Sus elecciones por ahora: { $choices }.
discord-ballot-nothing-yet = Aún no ha elegido nada.
discord-ballot-rank = { $rank }.ª opción
discord-ballot-choose = Su elección
discord-ballot-approve = Las candidaturas que aprueba
discord-ballot-score-for = Nota de { $nominee }
discord-ballot-earlier = Opciones anteriores
discord-ballot-later = Opciones siguientes
discord-ballot-clear = Empezar de nuevo
discord-ballot-cast = Votar
discord-ballot-category = La categoría en la que votar
discord-ballot-categories = { $campaign } tiene varias categorías: elija aquella en la que votar.
discord-ballot-nothing = Esta papeleta aún no elige a nadie; elija al menos una candidatura y luego vote.
discord-ballot-changed = Las candidaturas de esta papeleta cambiaron desde que se mostró, así que no se depositó; vuelva a ejecutar `/vote campaign:{ $id }` para una papeleta nueva.
discord-ballot-too-big = La categoría `{ $category }` no cabe en un formulario (más de 25 candidaturas, o notas por encima de 24); vote escribiéndola: `/vote campaign:{ $id } ballot:…` (vea `/help command:vote`).
discord-ballot-unknown = Este control de papeleta no es uno que Vigie conozca (quizá venga de una versión anterior) y no se modificó nada; vuelva a ejecutar `/vote` para una papeleta nueva.
