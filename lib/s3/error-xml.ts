// S3's error document (REST-XML protocol):
// <Error><Code/><Message/><Resource/><RequestId/></Error>, as S3 answers a
// refused or failed request. Pure.

const escapeXml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function s3ErrorXml(error: { code: string; message: string; requestId: string; resource?: string }): string {
  const resource = error.resource !== undefined ? `<Resource>${escapeXml(error.resource)}</Resource>` : "";
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${resource}<RequestId>${escapeXml(error.requestId)}</RequestId></Error>`;
}
