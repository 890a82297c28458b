package io.github.wecomcallback.tool;

import java.security.SecureRandom;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Prints a fresh random Token and EncodingAESKey to paste into the WeCom console (随机获取).")
final class KeygenCommand implements Callable<Integer> {
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        SecureRandom random = new SecureRandom();
        spec.commandLine().getOut().println("Token=" + randomString(random, 32));
        spec.commandLine().getOut().println("EncodingAESKey=" + randomString(random, 43));
        return 0;
    }

    static String randomString(SecureRandom random, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
