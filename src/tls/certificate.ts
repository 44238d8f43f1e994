import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { generate } from 'selfsigned'
import { tlsDefaults } from '../config.js'
import { errorCode, UserError } from '../errors.js'

/** A server's certificate and private key, both PEM. Kept in memory, never written out. */
export interface TlsCertificate {
  cert: string
  key: string
}

/**
 * A fresh self-signed certificate for localhost, 127.0.0.1 and ::1, made in memory. The load
 * generator trusts exactly this certificate, so nothing has to be trusted system-wide.
 */
export async function generateLocalCertificate(): Promise<TlsCertificate> {
  const notBeforeDate = new Date()
  const notAfterDate = new Date(notBeforeDate.getTime() + tlsDefaults.generatedValidityMs)
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    // P-256 keys are made in milliseconds; 2048-bit RSA would add a second to every start.
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  })
  return { cert: pems.cert, key: pems.private }
}

/** Reads --cert and --key; unreadable files, bad PEM or a key of another certificate are a UserError. */
export async function loadCertificate(certPath: string, keyPath: string): Promise<TlsCertificate> {
  const cert = await loadTrustedCertificate(certPath, '--cert')
  const key = await readPem(keyPath, '--key', 'private key')
  let matches: boolean
  try {
    matches = new X509Certificate(cert).checkPrivateKey(createPrivateKey(key))
  } catch {
    throw new UserError(`--key ${keyPath}: not a PEM private key; give the key file of the certificate in --cert`)
  }
  if (!matches) throw new UserError(`--key ${keyPath}: it is not the key of the certificate in --cert ${certPath}; give the matching pair`)
  return { cert, key }
}

/** Reads a PEM certificate the generator should trust (--ca, or --cert on run). */
export async function loadTrustedCertificate(path: string, flag: string): Promise<string> {
  const cert = await readPem(path, flag, 'certificate')
  try {
    new X509Certificate(cert)
  } catch {
    throw new UserError(`${flag} ${path}: not a PEM certificate; give a file that starts with -----BEGIN CERTIFICATE-----`)
  }
  return cert
}

async function readPem(path: string, flag: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new UserError(`${flag} ${path}: cannot read it (${errorCode(err) ?? 'error'}); give the path of a PEM ${what}`)
  }
}
