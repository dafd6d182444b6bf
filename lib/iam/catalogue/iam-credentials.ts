// IAM's other credentials (SSH public keys, signing certificates,
// service-specific credentials) and server certificates, declared once (see
// ./operation.ts) and spread into IAM by ./iam.ts.
import * as certs from "@/lib/iam/services/server-certificates";
import { tagOperations } from "@/lib/iam/services/tags";
import * as creds from "@/lib/iam/services/user-credentials";
import * as v from "@/lib/iam/validation";
import { declare } from "./operation";

const certTags = tagOperations(certs.SERVER_CERTIFICATE);

export const IAM_CREDENTIALS = {
  UploadSSHPublicKey: declare("iam", "UploadSSHPublicKey", creds.UploadSshPublicKeyInput, creds.uploadSshPublicKey),
  GetSSHPublicKey: declare("iam", "GetSSHPublicKey", creds.GetSshPublicKeyInput, creds.getSshPublicKey),
  ListSSHPublicKeys: declare("iam", "ListSSHPublicKeys", creds.ListSshPublicKeysInput, creds.listSshPublicKeys),
  UpdateSSHPublicKey: declare("iam", "UpdateSSHPublicKey", creds.UpdateSshPublicKeyInput, creds.updateSshPublicKey),
  DeleteSSHPublicKey: declare("iam", "DeleteSSHPublicKey", creds.SshPublicKeyIdInput, creds.deleteSshPublicKey),
  UploadSigningCertificate: declare("iam", "UploadSigningCertificate", creds.UploadSigningCertificateInput, creds.uploadSigningCertificate),
  ListSigningCertificates: declare("iam", "ListSigningCertificates", creds.ListSigningCertificatesInput, creds.listSigningCertificates),
  UpdateSigningCertificate: declare("iam", "UpdateSigningCertificate", creds.UpdateSigningCertificateInput, creds.updateSigningCertificate),
  DeleteSigningCertificate: declare("iam", "DeleteSigningCertificate", creds.SigningCertificateIdInput, creds.deleteSigningCertificate),
  CreateServiceSpecificCredential: declare("iam", "CreateServiceSpecificCredential", creds.CreateServiceSpecificCredentialInput, creds.createServiceSpecificCredential),
  ListServiceSpecificCredentials: declare("iam", "ListServiceSpecificCredentials", creds.ListServiceSpecificCredentialsInput, creds.listServiceSpecificCredentials),
  ResetServiceSpecificCredential: declare("iam", "ResetServiceSpecificCredential", creds.ServiceSpecificCredentialIdInput, creds.resetServiceSpecificCredential),
  UpdateServiceSpecificCredential: declare("iam", "UpdateServiceSpecificCredential", creds.UpdateServiceSpecificCredentialInput, creds.updateServiceSpecificCredential),
  DeleteServiceSpecificCredential: declare("iam", "DeleteServiceSpecificCredential", creds.ServiceSpecificCredentialIdInput, creds.deleteServiceSpecificCredential),
  UploadServerCertificate: declare("iam", "UploadServerCertificate", certs.UploadServerCertificateInput, certs.uploadServerCertificate),
  GetServerCertificate: declare("iam", "GetServerCertificate", certs.ServerCertificateNameInput, certs.getServerCertificate),
  ListServerCertificates: declare("iam", "ListServerCertificates", certs.ListServerCertificatesInput, certs.listServerCertificates),
  UpdateServerCertificate: declare("iam", "UpdateServerCertificate", certs.UpdateServerCertificateInput, certs.updateServerCertificate),
  DeleteServerCertificate: declare("iam", "DeleteServerCertificate", certs.ServerCertificateNameInput, certs.deleteServerCertificate),
  TagServerCertificate: declare("iam", "TagServerCertificate", certs.ServerCertificateNameInput.extend({ tags: v.tags }), certTags.tag),
  UntagServerCertificate: declare("iam", "UntagServerCertificate", certs.ServerCertificateNameInput.extend({ tagKeys: v.tagKeys }), certTags.untag),
  ListServerCertificateTags: declare("iam", "ListServerCertificateTags", certs.ServerCertificateNameInput, certTags.list),
};
