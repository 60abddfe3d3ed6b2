// Spanish (Mexico) messages. This is the source locale: its keys define the
// message catalogue, and every other locale must provide the same keys.

export const es = {
  'language.label': 'Idioma',
  'language.es': 'Español',
  'language.en': 'English',

  'login.title': 'Iniciar sesión',
  'login.consoleIntro': 'Consola para supervisores del despacho.',
  'login.fieldIntro': 'App para gestores en campo.',
  'login.email': 'Correo electrónico',
  'login.password': 'Contraseña',
  'login.submit': 'Iniciar sesión',
  'login.submitting': 'Iniciando sesión…',
  'login.missingFields': 'Escribe tu correo y tu contraseña.',

  'common.loading': 'Cargando…',
  'common.logout': 'Cerrar sesión',
  'common.loggingOut': 'Cerrando sesión…',
  'common.retry': 'Reintentar',
  'common.you': 'tú',
  'common.skipToContent': 'Saltar al contenido',

  'role.admin': 'Administrador',
  'role.supervisor': 'Supervisor',
  'role.agent': 'Gestor',
  'role.viewer': 'Consulta',

  'error.invalid_credentials': 'El correo o la contraseña no son correctos.',
  'error.rate_limited': 'Demasiados intentos. Espera unos minutos y vuelve a intentarlo.',
  'error.unauthenticated': 'Tu sesión terminó. Inicia sesión de nuevo.',
  'error.forbidden': 'No tienes permiso para hacer esto.',
  'error.csrf_failed': 'La sesión de esta pestaña ya no es válida. Recarga la página e inténtalo de nuevo.',
  'error.email_taken': 'Ya existe un usuario con ese correo.',
  'error.network_error': 'No se pudo conectar con el servidor. Revisa tu conexión e inténtalo de nuevo.',
  'error.unexpected_response': 'El servidor respondió algo inesperado. Inténtalo de nuevo más tarde.',

  'console.title': 'Ronda · Consola',
  'console.nav': 'Secciones',
  'console.orgLabel': 'Organización',
  'console.userLabel': 'Usuario',
  'console.agentTitle': 'Esta consola es para supervisores',
  'console.agentBody':
    'Entraste como gestor. Para registrar tus visitas usa la app de campo en /app/, desde tu teléfono o desde este navegador.',
  'console.agentLink': 'Abrir la app de campo',

  'section.today': 'Hoy',
  'section.visits': 'Visitas',
  'section.accounts': 'Cuentas',
  'section.agents': 'Gestores',
  'section.reports': 'Reportes',
  'section.settings': 'Configuración',
  'section.users': 'Usuarios',

  'empty.today.title': 'Aún no hay nada aquí',
  'empty.today.body':
    'Aquí verás el resumen del día: las visitas programadas, cuántas van hechas y qué gestores están en campo.',
  'empty.visits.title': 'Aún no hay visitas',
  'empty.visits.body':
    'Aquí aparecerá cada visita que registren los gestores, con fecha, resultado, ubicación y evidencia.',
  'empty.accounts.title': 'Aún no hay cuentas',
  'empty.accounts.body':
    'Aquí verás las cuentas de la cartera asignada al despacho, con su saldo y su historial de gestión.',
  'empty.agents.title': 'Aún no hay gestores con actividad',
  'empty.agents.body': 'Aquí verás a cada gestor de campo con su ruta y sus visitas del día.',
  'empty.reports.title': 'Aún no hay reportes',
  'empty.reports.body':
    'Aquí podrás consultar el avance de la cartera, la productividad de cada gestor y la bitácora de cambios.',
  'empty.settings.title': 'Aún no hay opciones de configuración',
  'empty.settings.body': 'Aquí podrás ajustar los datos de la organización y las reglas de las visitas.',

  'users.listTitle': 'Usuarios de la organización',
  'users.loading': 'Cargando usuarios…',
  'users.empty': 'Aún no hay usuarios.',
  'users.colName': 'Nombre',
  'users.colEmail': 'Correo',
  'users.colRole': 'Rol',
  'users.colStatus': 'Estado',
  'users.colActions': 'Acciones',
  'users.active': 'Activo',
  'users.inactive': 'Inactivo',
  'users.deactivate': 'Desactivar',
  'users.deactivateLabel': 'Desactivar a {name}',
  'users.deactivateConfirm': '¿Desactivar a {name}? Ya no podrá iniciar sesión.',
  'users.deactivated': 'Se desactivó a {name}.',
  'users.createTitle': 'Nuevo usuario',
  'users.name': 'Nombre completo',
  'users.email': 'Correo electrónico',
  'users.role': 'Rol',
  'users.password': 'Contraseña inicial',
  'users.passwordHint': 'Compártela con la persona por un medio seguro.',
  'users.create': 'Crear usuario',
  'users.creating': 'Creando…',
  'users.created': 'Se creó el usuario {name}.',

  'field.title': 'Ronda Campo',
  'field.myDay': 'Mi día',
  'field.emptyTitle': 'Aún no tienes visitas para hoy',
  'field.emptyBody':
    'Cuando tu supervisor te asigne visitas, aparecerán aquí con la dirección y el orden sugerido.',
  'field.offline': 'Sin conexión. Se muestra lo último guardado en este dispositivo.',
  'field.offlineLogin': 'Sin conexión. Conéctate a internet para iniciar sesión.',
  'field.logoutNeedsConnection': 'Para cerrar sesión necesitas conexión a internet.',
} as const;

export type MessageKey = keyof typeof es;
