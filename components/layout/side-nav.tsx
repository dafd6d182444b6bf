"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";

const SECTIONS = [
  {
    title: "IAM",
    links: [
      { href: "/iam", label: "Dashboard" },
      { href: "/iam/users", label: "Users" },
      { href: "/iam/groups", label: "User groups" },
      { href: "/iam/roles", label: "Roles" },
      { href: "/iam/policies", label: "Policies" },
      { href: "/iam/account-settings", label: "Account settings" },
      { href: "/iam/credential-report", label: "Credential report" },
      { href: "/iam/security-credentials", label: "My security credentials" },
    ],
  },
  {
    title: "CloudTrail",
    links: [
      { href: "/audit", label: "Event history" },
      { href: "/audit/live", label: "Live policy stream" },
      { href: "/audit/trails", label: "Trails" },
    ],
  },
  {
    title: "Tools",
    links: [
      { href: "/s3", label: "S3" },
      { href: "/ec2", label: "EC2 instances" },
      { href: "/simulator", label: "Policy simulator" },
      { href: "/labs", label: "Training labs" },
      { href: "/labs/import", label: "Import an account" },
    ],
  },
];

export function SideNav() {
  const pathname = usePathname();
  return (
    <nav aria-label="Console" className="w-52 shrink-0 border-r border-neutral-200 p-3 dark:border-neutral-800">
      {SECTIONS.map((section) => (
        <div key={section.title} className="mb-4">
          <p className="mb-1 px-2 text-xs font-semibold uppercase tracking-wide text-neutral-500">{section.title}</p>
          <ul>
            {section.links.map((l) => {
              // The longest link the page is under is the current one (/audit/live, not /audit too; /labs/import, not /labs).
              const under = (href: string) => (href === "/iam" ? pathname === "/iam" : pathname === href || pathname.startsWith(`${href}/`));
              const active = under(l.href) && !section.links.some((o) => o.href.length > l.href.length && under(o.href));
              return (
                <li key={l.href}>
                  <Link
                    href={l.href}
                    aria-current={active ? "page" : undefined}
                    className={`block rounded px-2 py-1 hover:bg-neutral-100 dark:hover:bg-neutral-800 ${active ? "bg-neutral-100 font-semibold text-accent dark:bg-neutral-800" : ""}`}
                  >
                    {l.label}
                  </Link>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
    </nav>
  );
}
