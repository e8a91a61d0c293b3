/**
 * Name constraints (RFC 5280 §4.2.1.10): a CA may limit the names of everything below it, for
 * example to its own country's directory subtree or e-mail domain. Sealbook enforces them on every
 * chain, whether the CA marked the extension critical or not (issue 12, item 8): the names of each
 * certificate under a constrained CA (its subject, the e-mail addresses in it, and its
 * subjectAltName) must lie within the permitted subtrees of their form and outside the excluded
 * ones. Forms: directoryName, rfc822Name, dNSName, uniformResourceIdentifier. A constraint on a
 * form this code does not compare (IP addresses, otherName, …) refuses any certificate that has a
 * name of that form, rather than letting it through unchecked.
 */
import { AsnConvert } from "@peculiar/asn1-schema";
import { GeneralName, NameConstraints, SubjectAlternativeName, id_ce_nameConstraints, id_ce_subjectAltName } from "@peculiar/asn1-x509";
import { CertificateChainError } from "./cert-rules";
import { x509 } from "./x509";

type Form = "dn" | "email" | "dns" | "uri" | "other";

/** One name of a certificate, in a form the matching rules understand. */
interface CertName {
  form: Form;
  /** Lower-case text for email, dns and uri (the host); RDNs for dn; a label for other forms. */
  value: string | Rdn[];
}

/** One relative distinguished name: attribute type → normalised values. */
type Rdn = Record<string, string[]>;

const EMAIL_ATTRIBUTES = ["E", "1.2.840.113549.1.9.1"];

const normalise = (value: string) => value.trim().replace(/\s+/g, " ").toLowerCase();

function rdnsOf(name: x509.Name): Rdn[] {
  return name.toJSON().map((rdn) => Object.fromEntries(Object.entries(rdn).map(([type, values]) => [type, values.map(normalise).sort()])));
}

function nameOf(general: GeneralName): CertName {
  if (general.rfc822Name !== undefined) return { form: "email", value: general.rfc822Name.toLowerCase() };
  if (general.dNSName !== undefined) return { form: "dns", value: general.dNSName.toLowerCase() };
  if (general.directoryName !== undefined) return { form: "dn", value: rdnsOf(new x509.Name(AsnConvert.serialize(general.directoryName))) };
  if (general.uniformResourceIdentifier !== undefined) return { form: "uri", value: uriHost(general.uniformResourceIdentifier) };
  const kind = general.iPAddress !== undefined ? "iPAddress" : general.otherName ? "otherName" : general.registeredID ? "registeredID" : "x400Address/ediPartyName";
  return { form: "other", value: kind };
}

function uriHost(uri: string): string {
  try {
    return new URL(uri).hostname.toLowerCase();
  } catch {
    return "";
  }
}

/** The names of a certificate that constraints apply to: its subject DN, e-mail addresses in the subject, and subjectAltName entries. */
function namesOf(cert: x509.X509Certificate): CertName[] {
  const names: CertName[] = [];
  const subject = rdnsOf(cert.subjectName);
  if (subject.length > 0) names.push({ form: "dn", value: subject });
  for (const rdn of subject) for (const type of EMAIL_ATTRIBUTES) for (const email of rdn[type] ?? []) names.push({ form: "email", value: email });
  const san = cert.extensions.find((e) => e.type === id_ce_subjectAltName);
  if (san) for (const general of AsnConvert.parse(san.value, SubjectAlternativeName)) names.push(nameOf(general));
  return names;
}

function withinDomain(host: string, constraint: string): boolean {
  if (constraint.startsWith(".")) return host.endsWith(constraint);
  return host === constraint || host.endsWith(`.${constraint}`);
}

/** Whether `name` lies in the subtree `base` (both of the same form). RFC 5280 §4.2.1.10 matching rules. */
function within(name: CertName, base: CertName): boolean {
  switch (name.form) {
    case "dn": {
      const [subject, prefix] = [name.value as Rdn[], base.value as Rdn[]];
      return prefix.length <= subject.length && prefix.every((rdn, i) => JSON.stringify(rdn) === JSON.stringify(subject[i]));
    }
    case "email": {
      const [mailbox, constraint] = [name.value as string, base.value as string];
      if (constraint.includes("@")) return mailbox === constraint;
      const host = mailbox.slice(mailbox.lastIndexOf("@") + 1);
      return constraint.startsWith(".") ? host.endsWith(constraint) : host === constraint;
    }
    case "dns":
      return withinDomain(name.value as string, (base.value as string).replace(/^\.(?=.)/, ""));
    case "uri":
      return withinDomain(name.value as string, base.value as string);
    default:
      return false;
  }
}

/**
 * Checks the names of `below` (the certificates under `ca` in a chain) against the CA's name
 * constraints, if it has any. Throws CertificateChainError `name_constraints` naming the
 * certificate, the name and the constraint.
 */
export function checkNameConstraints(ca: x509.X509Certificate, below: readonly x509.X509Certificate[]): void {
  const extension = ca.extensions.find((e) => e.type === id_ce_nameConstraints);
  if (!extension) return;
  let constraints: NameConstraints;
  try {
    constraints = AsnConvert.parse(extension.value, NameConstraints);
  } catch (cause) {
    throw new CertificateChainError("name_constraints", `The name constraints of ${ca.subject} cannot be read.`, { ca: ca.subject }, { cause });
  }
  const permitted = (constraints.permittedSubtrees ?? []).map((s) => nameOf(s.base));
  const excluded = (constraints.excludedSubtrees ?? []).map((s) => nameOf(s.base));
  const refuse = (cert: x509.X509Certificate, name: CertName, why: string): never => {
    const shown = typeof name.value === "string" ? name.value : cert.subject;
    throw new CertificateChainError("name_constraints", `The certificate ${cert.subject} names ${shown} (${name.form}), which ${why} of ${ca.subject}.`, {
      subject: cert.subject,
      ca: ca.subject,
      name: shown,
      form: name.form,
    });
  };
  for (const cert of below) {
    for (const name of namesOf(cert)) {
      const sameForm = (bases: CertName[]) => bases.filter((b) => b.form === name.form && (name.form !== "other" || b.value === name.value));
      if (name.form === "other") {
        if (sameForm(permitted).length > 0 || sameForm(excluded).length > 0) refuse(cert, name, `Sealbook cannot compare with the ${name.value} name constraints`);
        continue;
      }
      if (sameForm(excluded).some((base) => within(name, base))) refuse(cert, name, "is excluded by the name constraints");
      const allowed = sameForm(permitted);
      if (allowed.length > 0 && !allowed.some((base) => within(name, base))) refuse(cert, name, "is outside the permitted name constraints");
    }
  }
}
