// IAM's identity-provider operations (OpenID Connect and SAML), declared once
// (see ./operation.ts) and spread into IAM by ./iam.ts.
import { z } from "zod";
import * as idp from "@/lib/iam/services/identity-providers";
import { tagOperations } from "@/lib/iam/services/tags";
import * as v from "@/lib/iam/validation";
import { declare, declareNoInput } from "./operation";

const oidcTags = tagOperations(idp.OIDC_PROVIDER);
const samlTags = tagOperations(idp.SAML_PROVIDER);

const TagOidc = idp.OidcArnInput.extend({ tags: v.tags });
const UntagOidc = idp.OidcArnInput.extend({ tagKeys: v.tagKeys });
const TagSaml = idp.SamlArnInput.extend({ tags: v.tags });
const UntagSaml = idp.SamlArnInput.extend({ tagKeys: v.tagKeys });
const NoInput = z.object({}).passthrough();

export const IAM_FEDERATION = {
  CreateOpenIDConnectProvider: declare("iam", "CreateOpenIDConnectProvider", idp.CreateOidcProviderInput, idp.createOidcProvider),
  GetOpenIDConnectProvider: declare("iam", "GetOpenIDConnectProvider", idp.OidcArnInput, idp.getOidcProvider),
  ListOpenIDConnectProviders: declareNoInput("iam", "ListOpenIDConnectProviders", NoInput, idp.listOidcProviders),
  UpdateOpenIDConnectProviderThumbprint: declare("iam", "UpdateOpenIDConnectProviderThumbprint", idp.UpdateThumbprintInput, idp.updateOidcThumbprint),
  AddClientIDToOpenIDConnectProvider: declare("iam", "AddClientIDToOpenIDConnectProvider", idp.OidcClientIdInput, idp.addOidcClientId),
  RemoveClientIDFromOpenIDConnectProvider: declare("iam", "RemoveClientIDFromOpenIDConnectProvider", idp.OidcClientIdInput, idp.removeOidcClientId),
  DeleteOpenIDConnectProvider: declare("iam", "DeleteOpenIDConnectProvider", idp.OidcArnInput, idp.deleteOidcProvider),
  TagOpenIDConnectProvider: declare("iam", "TagOpenIDConnectProvider", TagOidc, oidcTags.tag),
  UntagOpenIDConnectProvider: declare("iam", "UntagOpenIDConnectProvider", UntagOidc, oidcTags.untag),
  ListOpenIDConnectProviderTags: declare("iam", "ListOpenIDConnectProviderTags", idp.OidcArnInput, oidcTags.list),
  CreateSAMLProvider: declare("iam", "CreateSAMLProvider", idp.CreateSamlProviderInput, idp.createSamlProvider),
  GetSAMLProvider: declare("iam", "GetSAMLProvider", idp.SamlArnInput, idp.getSamlProvider),
  ListSAMLProviders: declareNoInput("iam", "ListSAMLProviders", NoInput, idp.listSamlProviders),
  UpdateSAMLProvider: declare("iam", "UpdateSAMLProvider", idp.UpdateSamlProviderInput, idp.updateSamlProvider),
  DeleteSAMLProvider: declare("iam", "DeleteSAMLProvider", idp.SamlArnInput, idp.deleteSamlProvider),
  TagSAMLProvider: declare("iam", "TagSAMLProvider", TagSaml, samlTags.tag),
  UntagSAMLProvider: declare("iam", "UntagSAMLProvider", UntagSaml, samlTags.untag),
  ListSAMLProviderTags: declare("iam", "ListSAMLProviderTags", idp.SamlArnInput, samlTags.list),
};
