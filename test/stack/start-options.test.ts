// npm start's flags and TANDEM_ALLOWED_ORIGINS: what they accept, and the one line for what they refuse.
import { describe, expect, it } from 'vitest'
import { FROM_SOURCE, spawnNode } from '../../scripts/processes.ts'
import { parseStartOptions } from '../../scripts/start/start-options.ts'

const options = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parseStartOptions(argv, env)
  if (!parsed.ok) throw new Error(parsed.message)
  return parsed.options
}
const problem = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parseStartOptions(argv, env)
  return parsed.ok ? undefined : parsed.message
}

describe('npm start options', () => {
  it('has the stack on its usual ports and no other origin by default', () => {
    expect(options([])).toEqual({ help: false, allowedOrigins: [], ports: { demo: 8080, gateway: 8787, native: 8081 } })
  })

  it('adds origins from --allow-origin (repeatable) and TANDEM_ALLOWED_ORIGINS, written as browsers send them', () => {
    const { allowedOrigins } = options(['--allow-origin', 'http://127.0.0.1:9000', '--allow-origin=https://Example.com:443/'], {
      TANDEM_ALLOWED_ORIGINS: ' http://localhost:3000 ,, http://127.0.0.1:9000',
    })
    expect(allowedOrigins).toEqual(['http://127.0.0.1:9000', 'https://example.com', 'http://localhost:3000'])
  })

  it('refuses anything but an http(s) origin, naming the flag or variable and the value', () => {
    for (const bad of ['*', 'http://a.com/x', 'javascript:alert(1)', 'garbage', 'ftp://a.com', 'http://a.com?x', 'http://user@a.com', '127.0.0.1:9000']) {
      expect(problem(['--allow-origin', bad])).toBe(`--allow-origin ${JSON.stringify(bad)}: expected an http(s) origin: scheme, host and port only, like http://127.0.0.1:9000`)
    }
    expect(problem([], { TANDEM_ALLOWED_ORIGINS: 'http://ok.example, *' })).toBe('TANDEM_ALLOWED_ORIGINS "*": expected an http(s) origin: scheme, host and port only, like http://127.0.0.1:9000')
  })

  it('takes ports, and refuses bad or clashing ones and unknown flags', () => {
    expect(options(['--demo-port', '9080', '--gateway-port', '9787', '--native-port', '9081']).ports).toEqual({ demo: 9080, gateway: 9787, native: 9081 })
    expect(problem(['--demo-port', 'eighty'])).toBe('--demo-port "eighty": expected a port number')
    expect(problem(['--native-port', '70000'])).toBe('--native-port "70000": expected a port from 1 to 65535')
    expect(problem(['--demo-port', '8787'])).toMatch(/must differ/)
    expect(problem(['--allow-orgin', 'http://a.com'])).toMatch(/^Unknown option '--allow-orgin'.*--help/)
    expect(problem(['--allow-origin'])).toMatch(/--allow-origin/)
  })
})

describe('scripts/start.ts with a bad origin', () => {
  it('exits with code 2 and one line naming the flag and the value, before starting anything', async () => {
    for (const [args, env, line] of [
      [['--allow-origin', 'http://127.0.0.1:9000', '--allow-origin', 'http://a.com/x'], {}, '--allow-origin "http://a.com/x"'],
      [[], { TANDEM_ALLOWED_ORIGINS: '*' }, 'TANDEM_ALLOWED_ORIGINS "*"'],
    ] as const) {
      const lines: string[] = []
      const start = spawnNode([...FROM_SOURCE, 'scripts/start.ts', ...args], { env, onLine: (text) => lines.push(text) })
      expect(await start.exited).toBe(2)
      expect(lines).toEqual([`npm start: ${line}: expected an http(s) origin: scheme, host and port only, like http://127.0.0.1:9000`])
    }
  })
})
