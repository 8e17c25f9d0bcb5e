/** General OpenTelemetry semantic conventions read by the mapper. */
export const SERVICE_NAME = 'service.name';
export const SERVICE_VERSION = 'service.version';
export const DEPLOYMENT_ENVIRONMENT_NAME = 'deployment.environment.name';
/** Deprecated in semconv 1.27 for deployment.environment.name. */
export const DEPLOYMENT_ENVIRONMENT = 'deployment.environment';
export const USER_ID = 'user.id';
export const SESSION_ID = 'session.id';

export const EXCEPTION_EVENT = 'exception';
export const EXCEPTION_TYPE = 'exception.type';
export const EXCEPTION_MESSAGE = 'exception.message';
export const EXCEPTION_STACKTRACE = 'exception.stacktrace';

/** Log record attribute naming its event, from SDKs older than the LogRecord `event_name` field. */
export const EVENT_NAME = 'event.name';
