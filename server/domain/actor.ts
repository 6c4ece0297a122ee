// Who acts on an organization's data in a request: a signed-in member, or a data source's API token.
export type Actor = { kind: 'user'; userId: string; name: string } | { kind: 'token'; tokenId: string; name: string };
