// English messages. The type makes a missing or extra key a compile error.

import type { MessageKey } from './es';

export const en: Record<MessageKey, string> = {
  'language.label': 'Language',
  'language.es': 'Español',
  'language.en': 'English',

  'login.title': 'Sign in',
  'login.consoleIntro': 'Console for collection agency supervisors.',
  'login.fieldIntro': 'App for field agents.',
  'login.email': 'Email',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.missingFields': 'Enter your email and your password.',

  'common.loading': 'Loading…',
  'common.logout': 'Sign out',
  'common.loggingOut': 'Signing out…',
  'common.retry': 'Try again',
  'common.you': 'you',
  'common.skipToContent': 'Skip to content',

  'role.admin': 'Administrator',
  'role.supervisor': 'Supervisor',
  'role.agent': 'Agent',
  'role.viewer': 'Viewer',

  'error.invalid_credentials': 'The email or password is incorrect.',
  'error.rate_limited': 'Too many attempts. Wait a few minutes and try again.',
  'error.unauthenticated': 'Your session has ended. Sign in again.',
  'error.forbidden': 'You do not have permission to do this.',
  'error.csrf_failed': 'This tab’s session is no longer valid. Reload the page and try again.',
  'error.email_taken': 'A user with that email already exists.',
  'error.network_error': 'Could not reach the server. Check your connection and try again.',
  'error.unexpected_response': 'The server sent an unexpected response. Try again later.',

  'console.title': 'Ronda · Console',
  'console.nav': 'Sections',
  'console.orgLabel': 'Organization',
  'console.userLabel': 'User',
  'console.agentTitle': 'This console is for supervisors',
  'console.agentBody':
    'You signed in as an agent. To record your visits, use the field app at /app/, from your phone or from this browser.',
  'console.agentLink': 'Open the field app',

  'section.today': 'Today',
  'section.visits': 'Visits',
  'section.accounts': 'Accounts',
  'section.agents': 'Agents',
  'section.reports': 'Reports',
  'section.settings': 'Settings',
  'section.users': 'Users',

  'empty.today.title': 'Nothing here yet',
  'empty.today.body':
    'This will show the day at a glance: scheduled visits, how many are done and which agents are in the field.',
  'empty.visits.title': 'No visits yet',
  'empty.visits.body':
    'Every visit that agents record will appear here, with its date, outcome, location and evidence.',
  'empty.accounts.title': 'No accounts yet',
  'empty.accounts.body':
    'This will list the accounts in the portfolio assigned to the agency, with their balance and collection history.',
  'empty.agents.title': 'No agent activity yet',
  'empty.agents.body': 'This will show each field agent with their route and today’s visits.',
  'empty.reports.title': 'No reports yet',
  'empty.reports.body':
    'This is where you will review portfolio progress, each agent’s productivity and the audit log.',
  'empty.settings.title': 'No settings yet',
  'empty.settings.body': 'This is where you will adjust the organization’s details and the visit rules.',

  'users.listTitle': 'Users in the organization',
  'users.loading': 'Loading users…',
  'users.empty': 'No users yet.',
  'users.colName': 'Name',
  'users.colEmail': 'Email',
  'users.colRole': 'Role',
  'users.colStatus': 'Status',
  'users.colActions': 'Actions',
  'users.active': 'Active',
  'users.inactive': 'Inactive',
  'users.deactivate': 'Deactivate',
  'users.deactivateLabel': 'Deactivate {name}',
  'users.deactivateConfirm': 'Deactivate {name}? They will no longer be able to sign in.',
  'users.deactivated': '{name} was deactivated.',
  'users.createTitle': 'New user',
  'users.name': 'Full name',
  'users.email': 'Email',
  'users.role': 'Role',
  'users.password': 'Initial password',
  'users.passwordHint': 'Share it with the person over a secure channel.',
  'users.create': 'Create user',
  'users.creating': 'Creating…',
  'users.created': 'User {name} was created.',

  'field.title': 'Ronda Campo',
  'field.myDay': 'My day',
  'field.emptyTitle': 'No visits for today yet',
  'field.emptyBody':
    'When your supervisor assigns you visits, they will appear here with the address and the suggested order.',
  'field.offline': 'Offline. Showing what was last saved on this device.',
  'field.offlineLogin': 'Offline. Connect to the internet to sign in.',
  'field.logoutNeedsConnection': 'You need an internet connection to sign out.',
};
