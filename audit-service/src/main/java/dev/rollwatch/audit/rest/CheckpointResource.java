package dev.rollwatch.audit.rest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rollwatch.audit.service.TrustedKeys;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import dev.rollwatch.audit.config.AuditConfig;
import dev.rollwatch.audit.domain.ChainHash;
import dev.rollwatch.audit.domain.Checkpoint;
import dev.rollwatch.audit.repository.AuditLogRepository;
import dev.rollwatch.audit.service.CheckpointSigner;
import dev.rollwatch.platform.rest.Problem;
import dev.rollwatch.platform.rest.ProblemException;
import dev.rollwatch.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** Signed checkpoints and the public key that verifies them, for auditors to copy outside the database. */
@Path("/api/v1/audit/checkpoints")
@RolesAllowed(Roles.AUDITOR)
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "checkpoints", description = "Ed25519-signed checkpoints of the log's head and the keys that verify them")
@APIResponse(responseCode = "401", description = "`unauthorized`: no valid bearer token (`WWW-Authenticate: Bearer`)",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
@APIResponse(responseCode = "403", description = "`forbidden`: the token has no `auditor` role",
        content = @Content(mediaType = Problem.MEDIA_TYPE))
public class CheckpointResource {

    /** A checkpoint on the wire: hash in hex, signature in base64 over the documented message. */
    public record CheckpointView(long position, String headHash, String keyId, String signature, Instant signedAt) {
        static CheckpointView of(Checkpoint c) {
            return new CheckpointView(c.position(), ChainHash.hex(c.headHash()), c.keyId(),
                    Base64.getEncoder().encodeToString(c.signature()), c.signedAt());
        }
    }

    public record PublicKeyView(String keyId, String algorithm, String format, String publicKey) {
    }

    /** One line of the export: everything needed to check the signature offline, with the trusted public keys. */
    public record ExportLine(long position, String headHash, String keyId, String algorithm, String signature,
            Instant signedAt) {
    }

    /** The keys verify trusts: pinned in configuration, or only the signing key when none are pinned. */
    public record TrustedKeysView(boolean pinned, String signingKeyId, List<PublicKeyView> keys) {
    }

    private static final int EXPORT_PAGE = 500;

    private final AuditLogRepository log;
    private final CheckpointSigner signer;
    private final AuditConfig config;
    private final TrustedKeys trusted;
    private final ObjectMapper json;

    public CheckpointResource(AuditLogRepository log, CheckpointSigner signer, AuditConfig config,
            TrustedKeys trusted, ObjectMapper json) {
        this.log = log;
        this.signer = signer;
        this.config = config;
        this.trusted = trusted;
        this.json = json.copy().disable(SerializationFeature.INDENT_OUTPUT);
    }

    /**
     * Every signed checkpoint after {@code after}, one JSON object per line, in position order: what an auditor keeps
     * outside the database ({@code curl … > checkpoints.ndjson}) and later holds against {@code verify}.
     */
    @GET
    @Path("/export")
    @Produces(AuditStreamResource.NDJSON)
    @Operation(summary = "Export the signed checkpoints as NDJSON, to keep outside the database",
            description = "Role auditor, scoped or not. Every checkpoint after `after`, one JSON object per line in "
                    + "position order: position, head hash (hex), key id, algorithm (`Ed25519`), signature "
                    + "(base64), signing time. Hold a kept copy against `GET /api/v1/audit/verify` later.")
    @APIResponse(responseCode = "200", description = "One checkpoint per line",
            content = @Content(mediaType = AuditStreamResource.NDJSON))
    public Response export(@Parameter(description = "Only checkpoints at positions after this one (default 0; a "
            + "negative value counts as 0)") @QueryParam("after") Long after) {
        long start = after == null ? 0 : Math.max(0, after);
        StreamingOutput body = out -> {
            long cursor = start;
            while (true) {
                List<Checkpoint> page = log.checkpoints(cursor, EXPORT_PAGE);
                for (Checkpoint c : page) {
                    out.write(json.writeValueAsBytes(new ExportLine(c.position(), ChainHash.hex(c.headHash()),
                            c.keyId(), "Ed25519", Base64.getEncoder().encodeToString(c.signature()), c.signedAt())));
                    out.write('\n');
                    cursor = c.position();
                }
                out.flush();
                if (page.size() < EXPORT_PAGE) {
                    return;
                }
            }
        };
        return Response.ok(body, AuditStreamResource.NDJSON).build();
    }

    @GET
    @Path("/trusted-keys")
    @Operation(summary = "The public keys verify trusts for checkpoint signatures",
            description = "Role auditor, scoped or not. The keys pinned in configuration (`pinned` true), or only "
                    + "the service's signing key when none are pinned; `signingKeyId` is the key signing now.")
    @APIResponse(responseCode = "200", description = "The trusted keys")
    public TrustedKeysView trustedKeys() {
        return new TrustedKeysView(trusted.pinned(), signer.keyId(), trusted.keys().stream()
                .map(k -> new PublicKeyView(k.keyId(), "Ed25519", "X.509 SubjectPublicKeyInfo, DER, base64",
                        Base64.getEncoder().encodeToString(k.publicKey().getEncoded())))
                .toList());
    }

    @GET
    @Operation(summary = "Signed checkpoints in position order",
            description = "Role auditor, scoped or not. Each checkpoint: the position and head hash (hex) it signs, "
                    + "the key id, the Ed25519 signature (base64) and when it was signed.")
    @APIResponse(responseCode = "200", description = "At most `limit` checkpoints after `after`")
    @APIResponse(responseCode = "400", description = "`invalid-limit`: `limit` outside 1..max-limit",
            content = @Content(mediaType = Problem.MEDIA_TYPE))
    public List<CheckpointView> list(
            @Parameter(description = "Only checkpoints at positions after this one (default 0; a negative value "
                    + "counts as 0)") @QueryParam("after") Long after,
            @Parameter(description = "At most this many, 1 to `rollwatch.audit.max-limit` (default "
                    + "`rollwatch.audit.default-limit`)") @QueryParam("limit") Integer limit) {
        int size = limit == null ? config.defaultLimit() : limit;
        if (size < 1 || size > config.maxLimit()) {
            throw ProblemException.badRequest("invalid-limit",
                    "limit must be between 1 and " + config.maxLimit() + ", was " + size);
        }
        return log.checkpoints(after == null ? 0 : Math.max(0, after), size).stream().map(CheckpointView::of)
                .toList();
    }

    @GET
    @Path("/public-key")
    @Operation(summary = "The public key of the current checkpoint signing key",
            description = "Role auditor, scoped or not. Ed25519, X.509 SubjectPublicKeyInfo DER in base64, with its "
                    + "key id: what checks a checkpoint's signature offline.")
    @APIResponse(responseCode = "200", description = "The signing key's public half")
    public PublicKeyView publicKey() {
        return new PublicKeyView(signer.keyId(), "Ed25519", "X.509 SubjectPublicKeyInfo, DER, base64",
                Base64.getEncoder().encodeToString(signer.publicKey()));
    }
}
