// Checks rendered Kubernetes manifests offline against the API's schemas (the kubernetes-models
// package, generated from the Kubernetes OpenAPI document, and its prometheus-operator models):
// types, required fields, formats. Reads `kubectl kustomize <overlay>` on stdin; prints one line
// per object and one per problem; exits 1 on any problem or an unknown kind.
//   kubectl kustomize deploy/kubernetes/overlays/production | node deploy/kubernetes/tools/validate.mjs
import { parseAllDocuments } from 'yaml';

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const docs = parseAllDocuments(Buffer.concat(chunks).toString('utf8'));

async function modelOf(apiVersion, kind) {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const candidates = group === 'monitoring.coreos.com'
    ? [`@kubernetes-models/prometheus-operator/${group}/${version}/${kind}`]
    : [`kubernetes-models/${group ? group + '/' : ''}${version}/${kind}`];
  for (const path of candidates) {
    try {
      const mod = await import(path);
      return mod[kind];
    } catch (e) {
      if (e.code !== 'ERR_MODULE_NOT_FOUND' && e.code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw e;
    }
  }
  return null;
}

let problems = 0;
for (const doc of docs) {
  if (doc.errors.length) {
    doc.errors.forEach((e) => console.log(`PROBLEM  YAML: ${e.message}`));
    problems += doc.errors.length;
    continue;
  }
  const obj = doc.toJS();
  if (!obj) continue;
  const name = `${obj.apiVersion} ${obj.kind} ${obj.metadata?.name}`;
  const Model = await modelOf(obj.apiVersion ?? '', obj.kind ?? '');
  if (!Model) {
    console.log(`PROBLEM  ${name}: unknown apiVersion/kind`);
    problems++;
    continue;
  }
  try {
    new Model(obj).validate();
    console.log(`OK       ${name}`);
  } catch (e) {
    console.log(`PROBLEM  ${name}: ${e.message}`);
    problems++;
  }
}
console.log(`${docs.length} objects, ${problems} problems`);
process.exit(problems === 0 && docs.length > 0 ? 0 : 1);
