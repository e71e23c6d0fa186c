import type { Migrations } from '../../../../platform/db/index.ts';
import * as eventNotifications from './0037-event-notifications.ts';
import * as notificationRetryWindow from './0039-notification-retry-window.ts';

/** The events module's tables (decision 0011a). */
export const eventsMigrations: Migrations = {
  '0037-event-notifications': eventNotifications,
  '0039-notification-retry-window': notificationRetryWindow,
};
