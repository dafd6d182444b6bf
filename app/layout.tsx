import type { Metadata } from "next";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "IAM Lab", template: "%s | IAM Lab" },
  description: "A simulated AWS IAM organization to learn, teach and administer cloud identity.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen text-sm">{children}</body>
    </html>
  );
}
