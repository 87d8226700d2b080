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
cmd-peers-add = Añadir un par o un administrador, o cambiar su rol o su región.
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
