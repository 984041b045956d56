/**
 * The repository and branch the git mode writes its spec from; once the spec
 * was edited by hand, a way to make it follow these fields again.
 */
export function GitSourceFields({
  url,
  onUrl,
  branch,
  onBranch,
  specEdited,
  onFollowFields,
}: {
  url: string;
  onUrl(url: string): void;
  branch: string;
  onBranch(branch: string): void;
  specEdited: boolean;
  onFollowFields(): void;
}) {
  return (
    <>
      <div className="field-row field-row-wide-first">
        <label className="field">
          <span>Repository URL</span>
          <input
            value={url}
            onChange={(event) => onUrl(event.target.value)}
            placeholder="https://github.com/acme/shop.git"
            spellCheck={false}
            autoComplete="off"
            data-testid="git-url"
            data-autofocus=""
          />
        </label>
        <label className="field">
          <span>Branch</span>
          <input
            value={branch}
            onChange={(event) => onBranch(event.target.value)}
            spellCheck={false}
            autoComplete="off"
            data-testid="git-branch"
          />
        </label>
      </div>
      {specEdited ? (
        <p className="field-hint">
          The spec below was edited by hand, so it no longer follows the fields above.{' '}
          <button type="button" className="link-button" onClick={onFollowFields}>
            Follow them again
          </button>
        </p>
      ) : null}
    </>
  );
}
