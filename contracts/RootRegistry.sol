// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

/**
 * @title RootRegistry
 * @notice The on-chain chain of sealed block roots of one Sealbook ledger (PROTOCOL.md §4).
 * Heights are consecutive, every root names the root before it, and a root is never zero and never
 * overwritten, so a fork or a rewrite of the ledger's history cannot be anchored.
 * @dev Storage is a single mapping from height to root; the genesis root sits at height 0. The head
 * (`latestHeight`) is not stored: because roots are written only at `latestHeight() + 1` and are never
 * zero, `rootOf(h) != 0` holds exactly for `h <= latestHeight()`. An anchor therefore proves that its
 * height is next by reading the slot it is about to write (free: the write then finds it warm) and the
 * previous root (needed anyway for the `prevRoot` check), and saves the 5,000 gas a head slot would
 * cost on every anchor. `latestHeight()` finds the head with a galloping search, O(log height) reads.
 *
 * Access control is OpenZeppelin's: the default admin (transferred only after a delay) grants
 * ANCHORER_ROLE, which may anchor, and RECEIPT_SIGNER_ROLE, which names the accounts whose
 * acceptance receipts (PROTOCOL.md §6) the ledger stands by. The contract is not upgradeable.
 */
contract RootRegistry is AccessControlDefaultAdminRules {
    /// @notice The role allowed to anchor roots.
    bytes32 public constant ANCHORER_ROLE = keccak256("ANCHORER_ROLE");

    /// @notice The role of the accounts that sign acceptance receipts (EIP-712, PROTOCOL.md §6).
    bytes32 public constant RECEIPT_SIGNER_ROLE = keccak256("RECEIPT_SIGNER_ROLE");

    /// @notice The delay before a scheduled transfer of the default admin role can be accepted.
    uint48 public constant INITIAL_ADMIN_DELAY = 2 days;

    bytes32 private immutable _genesisRoot;

    /// @dev Root by height; the genesis root at 0. Non-zero exactly for heights 0..latestHeight().
    mapping(uint64 height => bytes32 root) private _roots;

    /**
     * @notice Emitted once for every root anchored, right after it is stored.
     * @param height The block height (1 for the first block).
     * @param root The block's Merkle root.
     * @param prevRoot The root at `height - 1` (the genesis root for height 1).
     * @param entryCount The number of entries in the block, as reported by the anchorer.
     */
    event RootAnchored(uint64 indexed height, bytes32 indexed root, bytes32 prevRoot, uint32 entryCount);

    /// @notice The genesis root given to the constructor is zero.
    error RootRegistryZeroGenesisRoot();

    /**
     * @notice An account given to the constructor for `role` is the zero address.
     * @param role The role that would have been granted.
     */
    error RootRegistryZeroAccount(bytes32 role);

    /**
     * @notice The height is beyond the head: only `latestHeight() + 1` can be anchored.
     * @param expected The next height, `latestHeight() + 1`.
     * @param got The height given.
     */
    error RootRegistryHeightNotNext(uint64 expected, uint64 got);

    /**
     * @notice The height already holds a root (height 0 holds the genesis root); roots are never overwritten.
     * @param height The height given.
     * @param root The root already anchored there.
     */
    error RootRegistryHeightAlreadyAnchored(uint64 height, bytes32 root);

    /**
     * @notice The `prevRoot` given is not the root anchored at `height - 1`.
     * @param height The height being anchored.
     * @param expected The root at `height - 1`.
     * @param got The `prevRoot` given.
     */
    error RootRegistryPrevRootMismatch(uint64 height, bytes32 expected, bytes32 got);

    /**
     * @notice A root to anchor is zero.
     * @param height The height it was meant for.
     */
    error RootRegistryZeroRoot(uint64 height);

    /**
     * @notice `anchorBatch` got arrays of different lengths.
     * @param roots The number of roots.
     * @param entryCounts The number of entry counts.
     */
    error RootRegistryBatchLengthMismatch(uint256 roots, uint256 entryCounts);

    /// @notice `anchorBatch` got no roots.
    error RootRegistryEmptyBatch();

    /**
     * @notice Creates the registry of one ledger.
     * @param genesisRoot_ The ledger's genesis root, `keccak256("sealbook/genesis/v1:" ‖ ledgerId)`; non-zero.
     * @param admin The default admin, who grants and revokes roles; transferred only after INITIAL_ADMIN_DELAY.
     * @param anchorer The first account granted ANCHORER_ROLE.
     * @param receiptSigner The first account granted RECEIPT_SIGNER_ROLE.
     */
    constructor(bytes32 genesisRoot_, address admin, address anchorer, address receiptSigner)
        AccessControlDefaultAdminRules(INITIAL_ADMIN_DELAY, admin)
    {
        if (genesisRoot_ == bytes32(0)) revert RootRegistryZeroGenesisRoot();
        if (anchorer == address(0)) revert RootRegistryZeroAccount(ANCHORER_ROLE);
        if (receiptSigner == address(0)) revert RootRegistryZeroAccount(RECEIPT_SIGNER_ROLE);
        _genesisRoot = genesisRoot_;
        _roots[0] = genesisRoot_;
        _grantRole(ANCHORER_ROLE, anchorer);
        _grantRole(RECEIPT_SIGNER_ROLE, receiptSigner);
    }

    /// @notice The ledger's genesis root: `rootOf(0)`, the `prevRoot` of block 1.
    function genesisRoot() external view returns (bytes32) {
        return _genesisRoot;
    }

    /**
     * @notice The height of the latest anchored root; 0 before the first anchor.
     * @dev Gallops up from 0 to a height with no root, then bisects: about 2·log2(height) storage reads.
     */
    function latestHeight() public view returns (uint64) {
        // Invariant: _rootAt(known) != 0 and _rootAt(unknown) == 0, so the head lies in [known, unknown).
        uint256 known = 0;
        uint256 step = 1;
        while (_rootAt(known + step) != bytes32(0)) {
            known += step;
            step <<= 1;
        }
        uint256 unknown = known + step;
        while (unknown - known > 1) {
            uint256 mid = (known + unknown) >> 1;
            if (_rootAt(mid) != bytes32(0)) known = mid;
            else unknown = mid;
        }
        return uint64(known);
    }

    /**
     * @notice The root anchored at `height`: the genesis root at 0, zero for a height not anchored yet.
     * @param height The block height.
     */
    function rootOf(uint64 height) external view returns (bytes32) {
        return _roots[height];
    }

    /**
     * @notice Anchors the root of block `height`.
     * @dev Requires ANCHORER_ROLE, `height == latestHeight() + 1`, `prevRoot == rootOf(height - 1)` and a
     * non-zero `root`. Emits RootAnchored.
     * @param height The block height; the next one.
     * @param root The block's Merkle root.
     * @param prevRoot The root of block `height - 1`, as the block's entries name it.
     * @param entryCount The number of entries in the block (recorded in the event only).
     */
    function anchor(uint64 height, bytes32 root, bytes32 prevRoot, uint32 entryCount)
        external
        onlyRole(ANCHORER_ROLE)
    {
        if (root == bytes32(0)) revert RootRegistryZeroRoot(height);
        _requireNext(height, prevRoot);
        _roots[height] = root;
        emit RootAnchored(height, root, prevRoot, entryCount);
    }

    /**
     * @notice Anchors the roots of blocks `firstHeight`, `firstHeight + 1`, … in one transaction.
     * @dev Same rules as `anchor` for every root; `prevRoot` is the root before `roots[0]`, and each
     * following root's prevRoot is the root before it in the batch. All or nothing. Emits one
     * RootAnchored per root, in height order.
     * @param firstHeight The height of `roots[0]`; the next one.
     * @param prevRoot The root of block `firstHeight - 1`.
     * @param roots The block roots, in height order; at least one, none zero.
     * @param entryCounts The number of entries of each block; as many as `roots`.
     */
    function anchorBatch(
        uint64 firstHeight,
        bytes32 prevRoot,
        bytes32[] calldata roots,
        uint32[] calldata entryCounts
    ) external onlyRole(ANCHORER_ROLE) {
        uint256 count = roots.length;
        if (count == 0) revert RootRegistryEmptyBatch();
        if (count != entryCounts.length) revert RootRegistryBatchLengthMismatch(count, entryCounts.length);
        // Checking the first height is enough: the heights after the head hold no root.
        _requireNext(firstHeight, prevRoot);

        uint64 height = firstHeight;
        bytes32 previous = prevRoot;
        for (uint256 i = 0; i < count; ++i) {
            bytes32 root = roots[i];
            if (root == bytes32(0)) revert RootRegistryZeroRoot(height);
            _roots[height] = root;
            emit RootAnchored(height, root, previous, entryCounts[i]);
            previous = root;
            ++height;
        }
    }

    /**
     * @notice Tells whether `proof` proves that `entryHash` is in the block anchored at `height`.
     * @dev The leaf is the OpenZeppelin StandardMerkleTree leaf for `["bytes32"]`,
     * `keccak256(keccak256(abi.encode(entryHash)))`, and inner nodes hash sorted pairs (PROTOCOL.md §3).
     * False for height 0 (the genesis root is not a tree) and for a height not anchored.
     * @param height The block height.
     * @param entryHash The entry hash, `keccak256(ascii(compactJWS))`.
     * @param proof The sibling hashes from the leaf up.
     */
    function verifyEntry(uint64 height, bytes32 entryHash, bytes32[] calldata proof) external view returns (bool) {
        if (height == 0) return false;
        bytes32 root = _roots[height];
        if (root == bytes32(0)) return false;
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(entryHash))));
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /**
     * @dev Reverts unless `height` is the next height and `prevRoot` is the root before it. Costs the
     * happy path two storage reads, both of which it needs anyway: the slot at `height` (written next,
     * so the write finds it warm) and the root at `height - 1`.
     */
    function _requireNext(uint64 height, bytes32 prevRoot) private view {
        bytes32 existing = _roots[height];
        if (existing != bytes32(0)) revert RootRegistryHeightAlreadyAnchored(height, existing);
        // height >= 1 here: height 0 holds the genesis root.
        bytes32 expected = _roots[height - 1];
        if (expected == bytes32(0)) revert RootRegistryHeightNotNext(latestHeight() + 1, height);
        if (prevRoot != expected) revert RootRegistryPrevRootMismatch(height, expected, prevRoot);
    }

    /// @dev The root at `height`, or zero beyond the largest uint64 height (reached only by the search).
    function _rootAt(uint256 height) private view returns (bytes32) {
        return height > type(uint64).max ? bytes32(0) : _roots[uint64(height)];
    }
}
