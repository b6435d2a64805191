package dev.rollwatch.cli.commands;

import dev.rollwatch.cli.ExitCodes;
import dev.rollwatch.cli.Rollwatch;
import dev.rollwatch.cli.auth.KeyFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "keys", description = {"Create the local token-signing key pair (RSA 2048) unless it exists: "
        + "DIR/jwt-private.pem (PKCS#8, owner-only) signs the tokens 'token' mints, DIR/jwt-public.pem is what the "
        + "services verify them with (ROLLWATCH_JWT_PUBLIC_KEY).", "Does nothing when both files exist."})
public class KeysCommand implements Callable<Integer> {

    @ParentCommand
    Rollwatch root;

    @Option(names = "--dir", paramLabel = "DIR", defaultValue = "var/keys", description = "default ${DEFAULT-VALUE}")
    Path dir;

    @Override
    public Integer call() throws IOException {
        KeyFiles.Outcome outcome = KeyFiles.ensure(dir);
        Path priv = dir.resolve(KeyFiles.PRIVATE_FILE).toAbsolutePath().normalize();
        Path pub = dir.resolve(KeyFiles.PUBLIC_FILE).toAbsolutePath().normalize();
        String what = switch (outcome) {
            case CREATED -> "created a token-signing key pair";
            case PUBLIC_KEY_RESTORED -> "wrote the public key of the existing private key";
            case EXISTED -> "the token-signing key pair exists";
        };
        root.out().println(what + ":");
        root.out().println("  private " + priv + " (signs tokens; keep it to yourself)");
        root.out().println("  public  " + pub + " (ROLLWATCH_JWT_PUBLIC_KEY of the services)");
        root.out().flush();
        return ExitCodes.OK;
    }
}
