"""Structural checks of deploy/: the JSON configs, the compose files and the
Kubernetes manifests, each against the others and against how lienthongd runs.

Run by deploy/lint with Debian's /usr/bin/python3 and python3-yaml:
    python3 deploy/lint_manifests.py DEPLOY_DIR
Prints one line per problem ("FAIL  file: what") and exits 1 if there is any.
"""

import glob
import json
import os
import re
import sys

import yaml

SERVICES = ("registry", "ingestion", "documents", "reporting")
# The gRPC health name each lienthongd --services=X reports (services/lienthongd/
# daemon.cc); probes ask for it.
HEALTH_NAMES = {
    "registry": "lienthong.registry.v1.AdminUnitService",
    "ingestion": "lienthong.ingestion.v1.IngestionService",
    "documents": "lienthong.documents.v1.DocumentService",
    "reporting": "lienthong.reporting.v1.ReportingService",
}
# Who calls whom (services/lienthongd: everyone needs the registry, reporting
# follows ingestion's change feed): the order compose starts them in.
NEEDS = {
    "registry": set(),
    "ingestion": {"registry"},
    "documents": {"registry"},
    "reporting": {"registry", "ingestion"},
}
CERT_FILES = ("ca.pem", "platform.pem", "platform.key")
LTCTL = "/usr/local/bin/ltctl"

problems = []
checked = []


def fail(where, what):
    problems.append(f"{where}: {what}")


def rel(path):
    return os.path.relpath(path, ROOT)


def flag_values(args, name):
    """Values of --name=VALUE in an argument list."""
    prefix = f"--{name}="
    return [a[len(prefix):] for a in args if isinstance(a, str) and a.startswith(prefix)]


def one_flag(where, args, name):
    values = flag_values(args, name)
    if len(values) != 1:
        fail(where, f"expects exactly one --{name}=..., has {len(values)}")
        return None
    return values[0]


def host_port(address):
    if not isinstance(address, str) or ":" not in address:
        return None
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) <= 65535:
        return None
    return host, int(port)


# --- JSON --------------------------------------------------------------------


def check_deployment_config(where, text):
    """The deployment file lienthongd --config reads (deployment_config.cc)."""
    try:
        config = json.loads(text)
    except json.JSONDecodeError as error:
        fail(where, f"not JSON: {error}")
        return None
    if not isinstance(config, dict) or set(config) != {"addresses"}:
        fail(where, 'must be {"addresses": {...}} and nothing else')
        return None
    addresses = config["addresses"]
    if not isinstance(addresses, dict):
        fail(where, "addresses must be an object")
        return None
    for service, address in addresses.items():
        if service not in SERVICES:
            fail(where, f"addresses.{service}: not a service ({', '.join(SERVICES)})")
        elif host_port(address) is None:
            fail(where, f'addresses.{service}: "{address}" is not host:port')
    missing = [s for s in SERVICES if s not in addresses]
    if missing:
        fail(where, f"no address for {', '.join(missing)}")
    return addresses


def check_json_files():
    for path in [os.path.join(DEPLOY, "config", "deployment.json"),
                 os.path.join(DEPLOY, "compose", "deployment.json")]:
        if not os.path.exists(path):
            fail(rel(path), "missing")
            continue
        with open(path, encoding="utf-8") as f:
            check_deployment_config(rel(path), f.read())
        checked.append(rel(path))
    for path in sorted(glob.glob(os.path.join(DEPLOY, "demo", "seeds", "*.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                json.load(f)
        except (OSError, json.JSONDecodeError) as error:
            fail(rel(path), f"not JSON: {error}")
    checked.append("deploy/demo/seeds/*.json")


# --- YAML --------------------------------------------------------------------


def load_yaml(path):
    """All documents of a YAML file, or None (and a problem) if malformed."""
    try:
        with open(path, encoding="utf-8") as f:
            return [d for d in yaml.safe_load_all(f) if d is not None]
    except (OSError, yaml.YAMLError) as error:
        fail(rel(path), f"not well-formed YAML: {error}")
        return None


# --- ltctl health probes -------------------------------------------------------


def check_health_command(where, command, port, certs_dir, service):
    """An `ltctl health` command line: the server, the certificates, the name."""
    if not command or command[0] != LTCTL or command[1:2] != ["health"]:
        fail(where, f"is not `{LTCTL} health ...`: {command}")
        return
    args = command[2:]
    server = one_flag(where, args, "server")
    if server is not None and server != f"127.0.0.1:{port}":
        # The platform certificate names 127.0.0.1; the server listens on it.
        fail(where, f"--server={server}, expected 127.0.0.1:{port}")
    for flag, file in (("ca_cert", "ca.pem"), ("cert", "platform.pem"),
                       ("key", "platform.key")):
        value = one_flag(where, args, flag)
        if value is not None and value != f"{certs_dir}/{file}":
            fail(where, f"--{flag}={value}, expected {certs_dir}/{file}")
    names = flag_values(args, "service")
    if service is None:
        if len(names) > 1:
            fail(where, "more than one --service")
        elif names and names[0] not in HEALTH_NAMES.values():
            fail(where, f"--service={names[0]} is not a service lienthongd hosts")
    elif names != [HEALTH_NAMES[service]]:
        fail(where, f"--service should be {HEALTH_NAMES[service]} (this process "
                    f"hosts {service}), is {names or 'absent'}")
    unknown = [a for a in args if not re.match(r"--(server|ca_cert|cert|key|service)=", a)]
    if unknown:
        fail(where, f"unknown ltctl health arguments {unknown}")


# --- compose -----------------------------------------------------------------


def split_volume(volume):
    """(source, target, options) of a short-syntax volume; the source may hold
    ${VAR:-default}, whose colon is not a separator."""
    if not isinstance(volume, str):
        return volume.get("source"), volume.get("target"), \
            ["ro"] if volume.get("read_only") else []
    source = ""
    rest = volume
    while "${" in rest.split(":", 1)[0]:
        start = rest.index("${")
        end = rest.index("}", start)
        source += rest[:end + 1]
        rest = rest[end + 1:]
    head, _, rest = rest.partition(":")
    source += head
    target, _, options = rest.partition(":")
    return source, target or None, options.split(",") if options else []


def compose_command(where, service):
    command = service.get("command")
    if isinstance(command, str):
        command = command.split()
    if not isinstance(command, list):
        fail(where, "no command")
        return []
    return command


def check_compose_file(path, per_service):
    docs = load_yaml(path)
    if docs is None:
        return
    checked.append(rel(path))
    if len(docs) != 1 or not isinstance(docs[0], dict):
        fail(rel(path), "expected one mapping")
        return
    compose = docs[0]
    services = compose.get("services") or {}
    volumes = set((compose.get("volumes") or {}).keys())
    deployment = None
    if per_service:
        dpath = os.path.join(os.path.dirname(path), "deployment.json")
        with open(dpath, encoding="utf-8") as f:
            deployment = check_deployment_config(rel(dpath), f.read()) or {}
    lienthong = {}
    for name, service in services.items():
        where = f"{rel(path)}: services.{name}"
        if not isinstance(service, dict):
            fail(where, "not a mapping")
            continue
        if service.get("restart") not in ("always", "unless-stopped", "on-failure"):
            fail(where, f"restart policy is {service.get('restart')!r}")
        if not isinstance(service.get("healthcheck"), dict) or not service["healthcheck"].get("test"):
            fail(where, "no healthcheck")
        for volume in service.get("volumes") or []:
            source = split_volume(volume)[0]
            if source and not source.startswith((".", "/", "$")) and source not in volumes:
                fail(where, f"volume {source} is not declared under volumes:")
        for dependency, condition in (service.get("depends_on") or {}).items():
            if dependency not in services:
                fail(where, f"depends on {dependency}, which is not a service")
            elif (condition or {}).get("condition") != "service_healthy":
                fail(where, f"depends on {dependency} without condition: service_healthy")
            elif not (services[dependency] or {}).get("healthcheck"):
                fail(where, f"waits for {dependency} to be healthy, which has no healthcheck")
        image = str(service.get("image", ""))
        if "LIENTHONG_IMAGE" in image or "lienthong" in image:
            lienthong[name] = service
    if not lienthong:
        fail(rel(path), "runs no lienthongd")
    if per_service and set(lienthong) != set(SERVICES):
        fail(rel(path), f"lienthong services are {sorted(lienthong)}, expected {list(SERVICES)}")
    for name, service in lienthong.items():
        where = f"{rel(path)}: services.{name}"
        command = compose_command(where, service)
        hosted = flag_values(command, "services")
        if per_service:
            if hosted != [name]:
                fail(where, f"--services should be {name}, is {hosted}")
            config = one_flag(where, command, "config")
        elif hosted:
            fail(where, "the all-in-one daemon takes no --services")
        listen = host_port(one_flag(where, command, "listen") or "")
        certs_dir = one_flag(where, command, "certs_dir")
        data_dir = one_flag(where, command, "data_dir")
        if listen is None:
            fail(where, "--listen is not host:port")
            continue
        if listen[0] != "0.0.0.0":
            # Other containers and the health check (127.0.0.1) must reach it.
            fail(where, f"--listen should be 0.0.0.0:PORT, is {listen[0]}")
        port = listen[1]
        if not any(re.search(rf"(^|:){port}:{port}$", str(p)) for p in service.get("ports") or []):
            fail(where, f"does not publish port {port} as {port}")
        mounts = {}
        for volume in service.get("volumes") or []:
            _, target, options = split_volume(volume)
            if target:
                mounts[target] = options
        if certs_dir not in mounts:
            fail(where, f"--certs_dir {certs_dir} is not mounted")
        elif "ro" not in mounts[certs_dir]:
            fail(where, f"certificates at {certs_dir} are not mounted read-only")
        if data_dir not in mounts:
            fail(where, f"--data_dir {data_dir} is not on a volume")
        if per_service:
            if config not in mounts:
                fail(where, f"--config {config} is not mounted")
            address = (deployment or {}).get(name)
            if address != f"{name}:{port}":
                fail(where, f"deployment.json gives {name} at {address}, but it is "
                            f"served at {name}:{port}")
            needed = NEEDS[name] | {"postgres"}
            have = set((service.get("depends_on") or {}).keys())
            if not needed <= have:
                fail(where, f"must wait for {sorted(needed - have)} (depends_on)")
        test = (service.get("healthcheck") or {}).get("test") or []
        if test[:1] != ["CMD"]:
            fail(where, "healthcheck test should be [\"CMD\", ltctl, health, ...]")
        else:
            check_health_command(f"{where}.healthcheck", test[1:], port, certs_dir,
                                 name if per_service else None)


# --- Kubernetes ----------------------------------------------------------------

# The fields of the Kubernetes API objects these manifests use (apps/v1, core/v1,
# as of Kubernetes 1.30): a misspelt field is silently dropped by a lenient
# apply, so it is caught here. No schema validator is packaged for Debian.
FIELDS = {
    "workload_spec": {"replicas", "selector", "template", "strategy", "minReadySeconds",
                      "revisionHistoryLimit", "paused", "progressDeadlineSeconds",
                      "serviceName", "volumeClaimTemplates", "podManagementPolicy",
                      "updateStrategy", "persistentVolumeClaimRetentionPolicy", "ordinals"},
    "pod_spec": {"containers", "initContainers", "volumes", "securityContext",
                 "serviceAccountName", "automountServiceAccountToken", "enableServiceLinks",
                 "terminationGracePeriodSeconds", "nodeSelector", "affinity", "tolerations",
                 "topologySpreadConstraints", "priorityClassName", "imagePullSecrets",
                 "restartPolicy", "dnsPolicy", "hostname", "subdomain", "schedulerName",
                 "shareProcessNamespace", "runtimeClassName", "preemptionPolicy",
                 "activeDeadlineSeconds", "hostNetwork", "hostPID", "hostIPC", "dnsConfig",
                 "hostAliases", "readinessGates", "overhead", "os", "setHostnameAsFQDN",
                 "ephemeralContainers", "schedulingGates", "resourceClaims", "hostUsers"},
    "container": {"name", "image", "imagePullPolicy", "command", "args", "workingDir",
                  "env", "envFrom", "ports", "resources", "volumeMounts", "volumeDevices",
                  "livenessProbe", "readinessProbe", "startupProbe", "lifecycle",
                  "securityContext", "terminationMessagePath", "terminationMessagePolicy",
                  "stdin", "stdinOnce", "tty", "resizePolicy", "restartPolicy"},
    "probe": {"exec", "httpGet", "tcpSocket", "grpc", "initialDelaySeconds",
              "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
              "terminationGracePeriodSeconds"},
    "container_security": {"runAsNonRoot", "runAsUser", "runAsGroup", "readOnlyRootFilesystem",
                           "allowPrivilegeEscalation", "privileged", "capabilities",
                           "seccompProfile", "seLinuxOptions", "procMount", "windowsOptions",
                           "appArmorProfile"},
    "pod_security": {"runAsNonRoot", "runAsUser", "runAsGroup", "fsGroup",
                     "fsGroupChangePolicy", "supplementalGroups", "seccompProfile",
                     "seLinuxOptions", "sysctls", "windowsOptions", "appArmorProfile"},
    "resources": {"requests", "limits", "claims"},
    "volume_mount": {"name", "mountPath", "subPath", "subPathExpr", "readOnly",
                     "mountPropagation", "recursiveReadOnly"},
    "container_port": {"name", "containerPort", "protocol", "hostPort", "hostIP"},
    "service_spec": {"type", "selector", "ports", "clusterIP", "clusterIPs",
                     "externalTrafficPolicy", "internalTrafficPolicy", "sessionAffinity",
                     "sessionAffinityConfig", "loadBalancerIP", "loadBalancerSourceRanges",
                     "loadBalancerClass", "externalIPs", "externalName",
                     "publishNotReadyAddresses", "ipFamilies", "ipFamilyPolicy",
                     "healthCheckNodePort", "allocateLoadBalancerNodePorts", "trafficDistribution"},
    "service_port": {"name", "port", "targetPort", "protocol", "nodePort", "appProtocol"},
}


def check_fields(where, value, kind):
    if not isinstance(value, dict):
        fail(where, f"{kind} is not a mapping")
        return
    unknown = sorted(set(value) - FIELDS[kind])
    if unknown:
        fail(where, f"unknown {kind} field(s) {unknown}")


def check_known_fields(where, doc):
    spec = doc.get("spec") or {}
    if doc["kind"] in ("Deployment", "StatefulSet"):
        check_fields(where, spec, "workload_spec")
        pod = (spec.get("template") or {}).get("spec") or {}
        check_fields(where, pod, "pod_spec")
        if "securityContext" in pod:
            check_fields(where, pod["securityContext"], "pod_security")
        for container in (pod.get("containers") or []) + (pod.get("initContainers") or []):
            cwhere = f"{where} container {container.get('name')}"
            check_fields(cwhere, container, "container")
            for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
                if probe in container:
                    check_fields(f"{cwhere} {probe}", container[probe], "probe")
            if "securityContext" in container:
                check_fields(cwhere, container["securityContext"], "container_security")
            if "resources" in container:
                check_fields(cwhere, container["resources"], "resources")
            for mount in container.get("volumeMounts") or []:
                check_fields(cwhere, mount, "volume_mount")
            for port in container.get("ports") or []:
                check_fields(cwhere, port, "container_port")
    elif doc["kind"] == "Service":
        check_fields(where, spec, "service_spec")
        for port in spec.get("ports") or []:
            check_fields(where, port, "service_port")


def k8s_where(path, doc):
    meta = doc.get("metadata") or {}
    return f"{rel(path)}: {doc.get('kind')}/{meta.get('name')}"


def selects(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def check_kubernetes():
    kdir = os.path.join(DEPLOY, "kubernetes")
    kustomization_path = os.path.join(kdir, "kustomization.yaml")
    docs_by_file = {}
    for path in sorted(glob.glob(os.path.join(kdir, "*.yaml"))):
        docs = load_yaml(path)
        if docs is not None:
            docs_by_file[path] = docs
            checked.append(rel(path))
    kustomization = (docs_by_file.pop(kustomization_path, None) or [None])[0]
    templates = {p: d for p, d in docs_by_file.items() if p.endswith(".template.yaml")}
    manifests = {p: d for p, d in docs_by_file.items() if p not in templates}

    # The kustomization lists every manifest and no template.
    if not isinstance(kustomization, dict):
        fail(rel(kustomization_path), "missing or not a mapping")
    else:
        listed = kustomization.get("resources") or []
        for resource in listed:
            path = os.path.join(kdir, resource)
            if not os.path.exists(path):
                fail(rel(kustomization_path), f"lists {resource}, which does not exist")
            elif path in templates:
                fail(rel(kustomization_path), f"lists the template {resource}: applying it "
                                              "would overwrite the real Secret")
        for path in manifests:
            if os.path.basename(path) not in listed:
                fail(rel(kustomization_path), f"does not list {os.path.basename(path)}")
        if kustomization.get("namespace"):
            fail(rel(kustomization_path), "sets a namespace: the base is namespace-agnostic")

    objects = []  # (path, doc)
    for path, docs in list(manifests.items()) + list(templates.items()):
        for doc in docs:
            if not isinstance(doc, dict) or not doc.get("apiVersion") or not doc.get("kind") \
                    or not (doc.get("metadata") or {}).get("name"):
                fail(rel(path), "a document without apiVersion, kind or metadata.name")
                continue
            if (doc.get("metadata") or {}).get("namespace"):
                fail(k8s_where(path, doc), "sets metadata.namespace (keep it namespace-agnostic)")
            check_known_fields(k8s_where(path, doc), doc)
            objects.append((path, doc))

    def named(kind, name, include_templates=True):
        for path, doc in objects:
            if doc["kind"] == kind and doc["metadata"]["name"] == name and \
                    (include_templates or path not in templates):
                return doc
        return None

    def data_keys(doc):
        return set((doc.get("data") or {}).keys()) | set((doc.get("stringData") or {}).keys())

    workloads = [(p, d) for p, d in objects
                 if d["kind"] in ("Deployment", "StatefulSet") and p not in templates]
    services = [(p, d) for p, d in objects if d["kind"] == "Service" and p not in templates]
    hosted_by = {}  # lienthong service -> (Deployment doc, port)

    for path, doc in workloads:
        where = k8s_where(path, doc)
        spec = doc.get("spec") or {}
        template = spec.get("template") or {}
        labels = (template.get("metadata") or {}).get("labels") or {}
        selector = (spec.get("selector") or {}).get("matchLabels") or {}
        if not selects(selector, labels):
            fail(where, "spec.selector.matchLabels does not match the pod template's labels")
        pod = template.get("spec") or {}
        pod_security = pod.get("securityContext") or {}
        volumes = {v.get("name"): v for v in pod.get("volumes") or []}
        claim_templates = {(c.get("metadata") or {}).get("name")
                           for c in spec.get("volumeClaimTemplates") or []}
        mounted = set()
        containers = pod.get("containers") or []
        if not containers:
            fail(where, "no containers")
        for container in containers:
            cwhere = f"{where} container {container.get('name')}"
            for probe in ("readinessProbe", "livenessProbe"):
                if not container.get(probe):
                    fail(cwhere, f"no {probe}")
            resources = container.get("resources") or {}
            requests = resources.get("requests") or {}
            if not requests.get("cpu") or not requests.get("memory"):
                fail(cwhere, "resources.requests needs cpu and memory")
            if not (resources.get("limits") or {}).get("memory"):
                fail(cwhere, "no resources.limits.memory")
            security = container.get("securityContext") or {}
            if not (security.get("runAsNonRoot") or pod_security.get("runAsNonRoot")):
                fail(cwhere, "runAsNonRoot is not set (pod or container)")
            if security.get("allowPrivilegeEscalation") is not False:
                fail(cwhere, "allowPrivilegeEscalation is not false")
            if security.get("readOnlyRootFilesystem") is not True:
                fail(cwhere, "readOnlyRootFilesystem is not true")
            mounts = {}
            for mount in container.get("volumeMounts") or []:
                mounted.add(mount.get("name"))
                mounts[mount.get("mountPath")] = mount
                if mount.get("name") not in volumes and mount.get("name") not in claim_templates:
                    fail(cwhere, f"mounts volume {mount.get('name')}, which is not defined")
            for env in container.get("env") or []:
                ref = (env.get("valueFrom") or {}).get("secretKeyRef")
                if ref:
                    secret = named("Secret", ref.get("name"))
                    if secret is None:
                        fail(cwhere, f"env {env.get('name')}: no Secret {ref.get('name')} "
                                     "(manifest or template)")
                    elif ref.get("key") not in data_keys(secret):
                        fail(cwhere, f"env {env.get('name')}: Secret {ref.get('name')} has no "
                                     f"key {ref.get('key')}")
            ports = {p.get("name"): p.get("containerPort") for p in container.get("ports") or []}
            if "lienthong" in str(container.get("image", "")).split("/")[-1].split(":")[0]:
                check_lienthong_container(cwhere, doc, container, mounts, volumes, ports,
                                          hosted_by)
        for name, volume in volumes.items():
            if name not in mounted:
                fail(where, f"volume {name} is never mounted")
            if volume.get("secret"):
                if named("Secret", volume["secret"].get("secretName")) is None:
                    fail(where, f"volume {name}: no Secret {volume['secret'].get('secretName')} "
                                "(manifest or template)")
            if volume.get("configMap"):
                if named("ConfigMap", volume["configMap"].get("name"), False) is None:
                    fail(where, f"volume {name}: no ConfigMap {volume['configMap'].get('name')}")
            if volume.get("persistentVolumeClaim"):
                claim = volume["persistentVolumeClaim"].get("claimName")
                if named("PersistentVolumeClaim", claim, False) is None:
                    fail(where, f"volume {name}: no PersistentVolumeClaim {claim}")
        if doc["kind"] == "Deployment" and (spec.get("replicas", 1) != 1 or
                                            (spec.get("strategy") or {}).get("type") != "Recreate"):
            fail(where, "a lienthong Deployment runs one replica with strategy Recreate "
                        "(one writer per data directory)")

    # Every Service selects a workload and targets one of its ports.
    for path, doc in services:
        where = k8s_where(path, doc)
        spec = doc.get("spec") or {}
        selector = spec.get("selector") or {}
        targets = [(p, d) for p, d in workloads
                   if selects(selector, ((d["spec"].get("template") or {}).get("metadata") or {})
                              .get("labels") or {})]
        if len(targets) != 1:
            fail(where, f"selects {len(targets)} workloads, expected 1")
            continue
        workload = targets[0][1]
        container_ports = {}
        for container in workload["spec"]["template"]["spec"].get("containers") or []:
            for port in container.get("ports") or []:
                container_ports[port.get("name")] = port.get("containerPort")
        for port in spec.get("ports") or []:
            target = port.get("targetPort", port.get("port"))
            if isinstance(target, str) and target not in container_ports:
                fail(where, f"targetPort {target} is not a named port of "
                            f"{workload['kind']}/{workload['metadata']['name']}")
            elif isinstance(target, int) and target not in container_ports.values():
                fail(where, f"targetPort {target} is not a port of "
                            f"{workload['kind']}/{workload['metadata']['name']}")
        if workload["kind"] == "StatefulSet" and workload["spec"].get("serviceName") \
                and named("Service", workload["spec"]["serviceName"], False) is None:
            fail(k8s_where(targets[0][0], workload), "serviceName names no Service")
        if workload["kind"] == "Deployment" and not any(
                p.get("name") == "grpc" for p in spec.get("ports") or []):
            fail(where, "no port named grpc")

    # NetworkPolicies select something.
    for path, doc in objects:
        if doc["kind"] == "NetworkPolicy":
            selector = ((doc.get("spec") or {}).get("podSelector") or {}).get("matchLabels") or {}
            if not any(selects(selector, ((d["spec"].get("template") or {}).get("metadata") or {})
                               .get("labels") or {}) for _, d in workloads):
                fail(k8s_where(path, doc), "podSelector selects no workload")

    # One Deployment per lienthong service.
    for name in SERVICES:
        if name not in hosted_by:
            fail(rel(kdir), f"no Deployment runs --services={name}")

    # deployment.json names the Services that select those Deployments.
    config = named("ConfigMap", "lienthong-deployment", False)
    if config is None:
        fail(rel(kdir), "no ConfigMap lienthong-deployment")
    else:
        where = "deploy/kubernetes ConfigMap/lienthong-deployment deployment.json"
        addresses = check_deployment_config(where, (config.get("data") or {})
                                            .get("deployment.json", "")) or {}
        for name, address in addresses.items():
            if name not in hosted_by:
                continue
            host, port = host_port(address) or (None, None)
            service = named("Service", host, False)
            if service is None:
                fail(where, f"{name} at {address}: no Service {host}")
                continue
            deployment, container_port = hosted_by[name]
            service_labels = deployment["spec"]["template"]["metadata"].get("labels") or {}
            if not selects(service["spec"].get("selector") or {}, service_labels):
                fail(where, f"{name} at {address}: Service {host} does not select "
                            f"Deployment/{deployment['metadata']['name']}")
            matching = [p for p in service["spec"].get("ports") or [] if p.get("port") == port]
            if not matching:
                fail(where, f"{name} at {address}: Service {host} has no port {port}")

    # The Secret templates carry the keys the manifests use.
    certs = named("Secret", "lienthong-certs")
    if certs is None:
        fail(rel(kdir), "no Secret template lienthong-certs")
    else:
        missing = [k for k in CERT_FILES if k not in data_keys(certs)]
        if missing:
            fail(rel(kdir), f"Secret lienthong-certs lacks {missing}")
        if "ca.key" in data_keys(certs):
            fail(rel(kdir), "Secret lienthong-certs holds the CA's private key")
    database = named("Secret", "lienthong-database")
    init = named("ConfigMap", "lienthong-postgres-init", False)
    if database is not None and init is not None:
        created = set(re.findall(r"CREATE DATABASE (\w+)",
                                 "\n".join((init.get("data") or {}).values())))
        for key, url in (database.get("stringData") or {}).items():
            name = str(url).rsplit("/", 1)[-1].split("?")[0]
            if name not in created:
                fail(rel(kdir), f"Secret lienthong-database {key} names database {name}, "
                                "which lienthong-postgres-init does not create")


def check_lienthong_container(where, deployment, container, mounts, volumes, ports, hosted_by):
    args = container.get("args") or []
    hosted = flag_values(args, "services")
    if len(hosted) != 1 or hosted[0] not in SERVICES:
        fail(where, f"--services should name one service, is {hosted}")
        return
    name = hosted[0]
    if name in hosted_by:
        fail(where, f"a second Deployment runs --services={name}")
    listen = host_port(one_flag(where, args, "listen") or "")
    if listen is None or listen[0] != "0.0.0.0":
        fail(where, "--listen should be 0.0.0.0:PORT (the Service and the probes reach it)")
        return
    port = listen[1]
    if ports.get("grpc") != port:
        fail(where, f"containerPort named grpc is {ports.get('grpc')}, --listen port is {port}")
    hosted_by[name] = (deployment, port)
    certs_dir = one_flag(where, args, "certs_dir")
    for flag in ("config", "data_dir"):
        path = one_flag(where, args, flag)
        if path is not None and path not in mounts:
            fail(where, f"--{flag}={path} is not mounted")
    certs = mounts.get(certs_dir)
    if certs is None:
        fail(where, f"--certs_dir={certs_dir} is not mounted")
    else:
        volume = volumes.get(certs.get("name")) or {}
        if (volume.get("secret") or {}).get("secretName") != "lienthong-certs":
            fail(where, f"--certs_dir={certs_dir} is not the Secret lienthong-certs")
        if not certs.get("readOnly"):
            fail(where, f"{certs_dir} is not mounted readOnly")
    database = flag_values(args, "database")
    env = {e.get("name") for e in container.get("env") or []}
    # --database is optional (SQLite without it); when given, it comes from env.
    if len(database) > 1:
        fail(where, "more than one --database")
    elif database:
        match = re.fullmatch(r"\$\((\w+)\)", database[0])
        if not match or match.group(1) not in env:
            fail(where, f"--database={database[0]} is not $(VAR) of an env variable")
    if not container.get("startupProbe"):
        fail(where, "no startupProbe (migrations run before serving)")
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        command = ((container.get(probe) or {}).get("exec") or {}).get("command")
        if command is None:
            fail(where, f"{probe} is not an exec probe (the kubelet's grpc probe has no TLS)")
            continue
        check_health_command(f"{where} {probe}", command, port, certs_dir, name)


# --- main --------------------------------------------------------------------

if __name__ == "__main__":
    DEPLOY = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(__file__))
    ROOT = os.path.dirname(DEPLOY)
    check_json_files()
    check_compose_file(os.path.join(DEPLOY, "compose", "compose.yaml"), per_service=True)
    check_compose_file(os.path.join(DEPLOY, "compose", "compose.all-in-one.yaml"),
                       per_service=False)
    check_kubernetes()
    for problem in problems:
        print(f"FAIL  {problem}")
    print(f"structure: {len(checked)} files checked, {len(problems)} problems")
    sys.exit(1 if problems else 0)
