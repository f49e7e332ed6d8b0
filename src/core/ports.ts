import { Problem } from './errors';

export function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 1 && n <= 65535;
}

export function checkPort(field: string, port: number | undefined): Problem | undefined {
  if (port === undefined || isPort(port)) return undefined;
  return { field, value: port, allowed: 'an integer port number from 1 to 65535' };
}

/** IANA_SVC_NAME: what a container port name must be (probes may refer to it). */
export function isPortName(name: string): boolean {
  return name.length >= 1 && name.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes('--');
}

export function checkPortName(field: string, name: string | undefined): Problem | undefined {
  if (name === undefined || isPortName(name)) return undefined;
  return { field, value: name, allowed: 'an IANA service name: 1-15 lower-case letters, digits and "-", with at least one letter, no "--"' };
}
