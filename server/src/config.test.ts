import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const load = (env: Record<string, string>) => loadConfig(env, { demoDefault: 0, defaultTimeZone: 'UTC' });

describe('TRUST_PROXY', () => {
  it('trusts only loopback proxies unless told otherwise', () => {
    expect(load({}).trustProxy).toBe('loopback');
    expect(load({ TRUST_PROXY: ' ' }).trustProxy).toBe('loopback');
  });

  it('takes a hop count, addresses, CIDR ranges and named ranges, as Express does', () => {
    expect(load({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(load({ TRUST_PROXY: '10.0.0.5' }).trustProxy).toBe('10.0.0.5');
    expect(load({ TRUST_PROXY: 'loopback, 10.0.0.0/8, fd00::/8' }).trustProxy).toBe('loopback, 10.0.0.0/8, fd00::/8');
  });

  it('refuses what Express would choke on at start, with a readable error', () => {
    for (const bad of ['lb.example', '10.0.0.0/33', '10.0.0.1/8/1', 'loopback,,']) {
      expect(() => load({ TRUST_PROXY: bad }), bad).toThrow(ConfigError);
      expect(() => load({ TRUST_PROXY: bad }), bad).toThrow(/TRUST_PROXY takes a hop count/);
    }
  });
});

describe('ALLOWED_ORIGINS', () => {
  it('is empty by default and reads comma-separated origins, normalized', () => {
    expect(load({}).allowedOrigins).toEqual([]);
    expect(load({ ALLOWED_ORIGINS: ' ' }).allowedOrigins).toEqual([]);
    expect(load({ ALLOWED_ORIGINS: 'https://Dash.Clinic.example:443/, http://10.0.0.5:8080' }).allowedOrigins).toEqual(['https://dash.clinic.example', 'http://10.0.0.5:8080']);
  });

  it('refuses anything but an http(s) origin, with the variable named', () => {
    for (const bad of ['*', 'null', 'dash.clinic.example', 'https://dash.example/app', 'https://dash.example?x=1', 'ftp://dash.example', 'https://user@dash.example']) {
      expect(() => load({ ALLOWED_ORIGINS: bad }), bad).toThrow(ConfigError);
      expect(() => load({ ALLOWED_ORIGINS: bad }), bad).toThrow(/ALLOWED_ORIGINS takes comma-separated origins/);
    }
  });
});

describe('HL7_MAX_CONNECTIONS_PER_ADDRESS', () => {
  it('is 8 unless set, from 1 to 256', () => {
    expect(load({}).hl7MaxConnectionsPerAddress).toBe(8);
    expect(load({ HL7_MAX_CONNECTIONS_PER_ADDRESS: '64' }).hl7MaxConnectionsPerAddress).toBe(64);
    for (const bad of ['0', '257', '2.5', 'many']) expect(() => load({ HL7_MAX_CONNECTIONS_PER_ADDRESS: bad }), bad).toThrow(/HL7_MAX_CONNECTIONS_PER_ADDRESS/);
  });
});

describe('DATA_DIR', () => {
  it('is ./data of the folder npm was run in, not of the workspace npm switched to', () => {
    // `npm start` at the repository's root runs the server in server/ with INIT_CWD set to the root.
    expect(load({ INIT_CWD: '/srv/chairside' }).dataDir).toBe('/srv/chairside/data');
    expect(load({ INIT_CWD: '/srv/chairside', DATA_DIR: 'clinic-data' }).dataDir).toBe('/srv/chairside/clinic-data');
    expect(load({ INIT_CWD: '/srv/chairside', DATA_DIR: '/var/lib/chairside' }).dataDir).toBe('/var/lib/chairside');
  });
});

describe('HL7_ALERT_TARGET', () => {
  it('is unset by default and reads host:port (a name, IPv4, or IPv6 in brackets)', () => {
    expect(load({}).hl7AlertTarget).toBeUndefined();
    expect(load({ HL7_ALERT_TARGET: ' ' }).hl7AlertTarget).toBeUndefined();
    expect(load({ HL7_ALERT_TARGET: 'pager-gw.clinic.local:2575' }).hl7AlertTarget).toEqual({ host: 'pager-gw.clinic.local', port: 2575 });
    expect(load({ HL7_ALERT_TARGET: ' 10.0.0.7:6661 ' }).hl7AlertTarget).toEqual({ host: '10.0.0.7', port: 6661 });
    expect(load({ HL7_ALERT_TARGET: '[fd00::5]:2575' }).hl7AlertTarget).toEqual({ host: 'fd00::5', port: 2575 });
  });

  it('refuses anything else with the variable named and the reason', () => {
    const cases: [string, RegExp][] = [
      ['pager-gw', /not a host and port/],
      ['pager-gw:', /not a host and port/],
      ['pager-gw:0', /port 0 is out of range/],
      ['pager-gw:70000', /port 70000 is out of range/],
      ['mllp://pager-gw:2575', /not a host and port/],
      ['pager_gw:2575', /not a host name or IPv4 address/],
      ['10.0.0.300:2575', /not a host name or IPv4 address/],
      ['fd00::5:2575', /not a host and port/],
      ['[gw]:2575', /not an IPv6 address/],
    ];
    for (const [bad, why] of cases) {
      expect(() => load({ HL7_ALERT_TARGET: bad }), bad).toThrow(ConfigError);
      expect(() => load({ HL7_ALERT_TARGET: bad }), bad).toThrow(/HL7_ALERT_TARGET/);
      expect(() => load({ HL7_ALERT_TARGET: bad }), bad).toThrow(why);
    }
  });
});

describe('VAPID_SUBJECT', () => {
  it('is unset by default (the server uses its placeholder) and takes a mailto: address or an https: URL', () => {
    expect(load({}).vapidSubject).toBeUndefined();
    expect(load({ VAPID_SUBJECT: ' ' }).vapidSubject).toBeUndefined();
    expect(load({ VAPID_SUBJECT: 'mailto:alarms@clinic.example' }).vapidSubject).toBe('mailto:alarms@clinic.example');
    expect(load({ VAPID_SUBJECT: ' https://clinic.example/contact ' }).vapidSubject).toBe('https://clinic.example/contact');
  });

  it('refuses anything else, naming the variable and what it takes', () => {
    for (const bad of ['alarms@clinic.example', 'mailto:', 'mailto:alarms', 'mailto:a b@clinic.example', 'http://clinic.example', 'https://', 'ftp://clinic.example', 'clinic.example']) {
      expect(() => load({ VAPID_SUBJECT: bad }), bad).toThrow(ConfigError);
      expect(() => load({ VAPID_SUBJECT: bad }), bad).toThrow(/VAPID_SUBJECT takes a contact for the push services: mailto:/);
    }
  });
});

describe('ALERT_ENGINE_THREAD', () => {
  it('runs the alert engines in a worker thread unless it is 0', () => {
    expect(load({}).alertEngine).toBe('thread');
    expect(load({ ALERT_ENGINE_THREAD: ' ' }).alertEngine).toBe('thread');
    expect(load({ ALERT_ENGINE_THREAD: '1' }).alertEngine).toBe('thread');
    expect(load({ ALERT_ENGINE_THREAD: '0' }).alertEngine).toBe('in-process');
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['yes', 'true', '2', 'off']) expect(() => load({ ALERT_ENGINE_THREAD: bad }), bad).toThrow(/ALERT_ENGINE_THREAD is 1 \(a worker thread/);
  });
});
