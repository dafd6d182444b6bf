import Link from "next/link";
import { Banner } from "@/components/ui/banner";
import { CopyButton } from "@/components/ui/copy-button";
import { PageHeader } from "@/components/ui/page-header";
import { EmptyState, ErrorPanel } from "@/components/ui/panels";
import { loadAs } from "@/lib/actions/define-action";
import { requireConsole } from "@/lib/auth/console-context";
import { describeInstances, IMAGES, INSTANCE_TYPES } from "@/lib/ec2/instances";
import { listInstanceProfiles } from "@/lib/iam/roles/instance-profiles";
import { LaunchInstanceForm } from "./launch-form";
import { TerminateInstanceButton } from "./terminate-button";

export const metadata = { title: "EC2 instances" };

type SearchParams = Record<string, string | string[] | undefined>;

const profileName = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

export default async function InstancesPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const { principal } = await requireConsole();
  const launching = sp.launch === "1";
  const launched = typeof sp.launched === "string" ? sp.launched : undefined;
  const [instances, profiles] = await Promise.all([loadAs(principal, describeInstances(principal)), launching ? loadAs(principal, listInstanceProfiles(principal)) : null]);
  const header = (
    <PageHeader
      crumbs={[{ label: "EC2" }, { label: "Instances" }]}
      title="Instances"
      actions={
        !launching && (
          <Link href="/ec2?launch=1" className="rounded bg-accent px-3 py-1.5 text-sm font-medium text-white hover:bg-accent-strong">
            Launch instance
          </Link>
        )
      }
    />
  );
  return (
    <>
      {header}
      <p className="mb-4 max-w-3xl text-sm text-neutral-700 dark:text-neutral-300">
        Simulated instances: nothing boots, but each running instance has its own instance metadata service (IMDSv2). Programs pointed at it get the role of the instance profile
        it was launched with, the way code on a real EC2 instance does, with no access key stored anywhere.
      </p>
      {launched && <Banner kind="success">Instance {launched} is running.</Banner>}
      {launching && profiles && (
        <LaunchInstanceForm
          images={IMAGES}
          types={INSTANCE_TYPES}
          profiles={profiles.ok ? profiles.data.InstanceProfiles.map((p) => ({ name: p.InstanceProfileName, role: p.Roles[0]?.RoleName ?? null })) : null}
        />
      )}
      {!instances.ok ? (
        <ErrorPanel result={instances} />
      ) : instances.data.length === 0 ? (
        <EmptyState title="No instances">Launch one with an instance profile to see its role's credentials reach it.</EmptyState>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm" data-testid="instances">
            <caption className="sr-only">Instances of this account</caption>
            <thead className="border-b border-neutral-300 dark:border-neutral-700">
              <tr>
                <th scope="col" className="py-2 pr-4">Name</th>
                <th scope="col" className="py-2 pr-4">Instance ID</th>
                <th scope="col" className="py-2 pr-4">State</th>
                <th scope="col" className="py-2 pr-4">Type</th>
                <th scope="col" className="py-2 pr-4">IAM instance profile</th>
                <th scope="col" className="py-2 pr-4">Metadata service</th>
                <th scope="col" className="py-2 pr-4">Launched</th>
                <th scope="col" className="py-2"><span className="sr-only">Actions</span></th>
              </tr>
            </thead>
            <tbody>
              {instances.data.map((i) => {
                const exportLine = i.metadataEndpoint ? `export AWS_EC2_METADATA_SERVICE_ENDPOINT=${i.metadataEndpoint}` : null;
                return (
                  <tr key={i.InstanceId} className="border-b border-neutral-200 align-top dark:border-neutral-800" data-testid={`instance-${i.InstanceId}`}>
                    <td className="py-2 pr-4">{i.Name || <span className="text-neutral-600 dark:text-neutral-400">–</span>}</td>
                    <td className="py-2 pr-4 font-mono">{i.InstanceId}</td>
                    <td className="py-2 pr-4">{i.State.Name === "running" ? "Running" : "Terminated"}</td>
                    <td className="py-2 pr-4">{i.InstanceType}</td>
                    <td className="py-2 pr-4">
                      {i.IamInstanceProfile ? (
                        <Link className="text-accent underline" href={`/iam/roles?q=${encodeURIComponent(profileName(i.IamInstanceProfile.Arn))}`}>
                          {profileName(i.IamInstanceProfile.Arn)}
                        </Link>
                      ) : (
                        "None"
                      )}
                    </td>
                    <td className="py-2 pr-4">
                      {exportLine && i.State.Name === "running" ? (
                        <div className="flex flex-col gap-1">
                          <code className="font-mono text-xs break-all">{exportLine}</code>
                          <span>
                            <CopyButton value={exportLine} label="Copy endpoint setting" />
                          </span>
                        </div>
                      ) : (
                        "–"
                      )}
                    </td>
                    <td className="py-2 pr-4 whitespace-nowrap">{i.LaunchTime.toISOString().replace("T", " ").slice(0, 16)} UTC</td>
                    <td className="py-2">{i.State.Name === "running" && <TerminateInstanceButton instanceId={i.InstanceId} label={i.Name || i.InstanceId} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <section aria-labelledby="how-to" className="mt-6 max-w-3xl text-sm">
        <h2 id="how-to" className="mb-1 font-semibold">
          Running a program &quot;on&quot; an instance
        </h2>
        <p className="text-neutral-700 dark:text-neutral-300">
          On the machine IAM Lab runs on, set the endpoint shown above and unset any access keys; the AWS CLI and SDKs then take the role&apos;s credentials from the metadata
          service through their default credential chain and renew them before they expire, for example:
        </p>
        <pre tabIndex={0} className="mt-2 overflow-x-auto rounded bg-neutral-100 p-2 font-mono text-xs dark:bg-neutral-900">
          {"AWS_EC2_METADATA_SERVICE_ENDPOINT=http://127.0.0.1:4700 aws --endpoint-url http://localhost:4566 sts get-caller-identity"}
        </pre>
      </section>
    </>
  );
}
