package io.jenkins.plugins.icr.jenkins;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The rules of Jenkins' access-modifier checker ({@code org.kohsuke:access-modifier-checker}, run by a jenkinsci
 * {@code mvn verify} with {@code useBeta=true}), for the offline build: Maven Central serves only its 1.16, whose
 * ASM 5 cannot read Java 17 classes.
 *
 * <p>As the checker does, it reads the {@code @Restricted} elements that the dependencies index (annotation-indexer's
 * {@code META-INF/services/annotations/org.kohsuke.accmod.Restricted}), keyed by type, {@code type.field} and
 * {@code type.method(descriptor)}, a type's restriction also covering its members and nested types; then walks the
 * plugin's classes: super types, interfaces, {@code new}, method calls and field accesses. {@code DoNotUse} and
 * {@code NoExternalUse} are violations wherever they are used from outside their module, {@code Beta} is allowed
 * ({@code useBeta}), and {@code ProtectedExternally} methods may be called only from a subclass.
 */
final class AccessRestrictions {

    private static final String INDEX = "META-INF/services/annotations/org.kohsuke.accmod.Restricted";
    private static final String RESTRICTED = "Lorg/kohsuke/accmod/Restricted;";
    private static final String PACKAGE = "org/kohsuke/accmod/restrictions/";

    private final ClassLoader dependencies;
    /** Key to the restrictions' simple names, such as {@code NoExternalUse}. */
    private final Map<String, Set<String>> restricted = new HashMap<>();

    private AccessRestrictions(ClassLoader dependencies) {
        this.dependencies = dependencies;
    }

    /** The restrictions of every dependency on the class path of {@code dependencies}, but those under {@code own}. */
    static AccessRestrictions load(ClassLoader dependencies, Path own) throws IOException {
        AccessRestrictions restrictions = new AccessRestrictions(dependencies);
        String ownUrl = own.toUri().toString();
        Enumeration<URL> indexes = dependencies.getResources(INDEX);
        while (indexes.hasMoreElements()) {
            URL index = indexes.nextElement();
            if (index.toString().startsWith(ownUrl)) {
                continue; // the inspected module may use its own restricted elements
            }
            try (InputStream in = index.openStream()) {
                for (String name : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                    if (!name.isBlank()) {
                        restrictions.read(name.trim().replace('.', '/'));
                    }
                }
            }
        }
        return restrictions;
    }

    int size() {
        return restricted.size();
    }

    private void read(String internalName) throws IOException {
        ClassReader reader = reader(internalName);
        if (reader == null) {
            throw new IOException("an index names " + internalName + ", which is not on the class path");
        }
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitAnnotation(String descriptor, boolean visible) {
                return restriction(internalName, descriptor);
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                return new FieldVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        return restriction(internalName + '.' + name, annotation);
                    }
                };
            }

            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                    String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public AnnotationVisitor visitAnnotation(String annotation, boolean visible) {
                        return restriction(internalName + '.' + name + descriptor, annotation);
                    }
                };
            }
        }, ClassReader.SKIP_CODE);
    }

    private AnnotationVisitor restriction(String key, String annotation) {
        if (!RESTRICTED.equals(annotation)) {
            return null;
        }
        Set<String> kinds = restricted.computeIfAbsent(key, k -> new HashSet<>());
        return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public AnnotationVisitor visitArray(String name) {
                return this;
            }

            @Override
            public void visit(String name, Object value) {
                if (value instanceof Type type && type.getInternalName().startsWith(PACKAGE)) {
                    kinds.add(type.getInternalName().substring(PACKAGE.length()));
                }
            }
        };
    }

    private ClassReader reader(String internalName) throws IOException {
        try (InputStream in = dependencies.getResourceAsStream(internalName + ".class")) {
            return in == null ? null : new ClassReader(in);
        }
    }

    /** Every use of a restricted element by the classes under {@code classes}, as {@code class:line uses key (kind)}. */
    List<String> violations(Path classes) throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".class"))::iterator) {
                new ClassReader(Files.readAllBytes(file)).accept(new Inspector(violations), ClassReader.SKIP_FRAMES);
            }
        }
        return violations;
    }

    /** The restrictions on a key: its own, and those of the types that enclose it. */
    private Set<String> on(String key) {
        Set<String> kinds = new HashSet<>(restricted.getOrDefault(key, Set.of()));
        for (int cut = Math.max(key.lastIndexOf('.'), key.lastIndexOf('$')); cut > 0;
                cut = Math.max(key.lastIndexOf('.', cut - 1), key.lastIndexOf('$', cut - 1))) {
            kinds.addAll(restricted.getOrDefault(key.substring(0, cut), Set.of()));
        }
        kinds.remove("None");
        kinds.remove("Beta"); // useBeta=true, as ../pom.xml has it
        return kinds;
    }

    private boolean isSubclass(String type, String ancestor) throws IOException {
        for (String t = type; t != null; ) {
            if (t.equals(ancestor)) {
                return true;
            }
            ClassReader reader = reader(t);
            t = reader == null ? null : reader.getSuperName();
        }
        return false;
    }

    private final class Inspector extends ClassVisitor {
        private final List<String> violations;
        private String className;
        private int line;

        Inspector(List<String> violations) {
            super(Opcodes.ASM9);
            this.violations = violations;
        }

        private void use(String key, boolean call) {
            for (String kind : on(key)) {
                if (kind.equals("ProtectedExternally") && call) {
                    String owner = key.substring(0, key.indexOf('.'));
                    try {
                        if (isSubclass(className, owner)) {
                            continue;
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                } else if (kind.equals("ProtectedExternally")) {
                    continue;
                }
                violations.add(className.replace('/', '.') + ":" + line + " uses " + key + " (" + kind + ")");
            }
        }

        @Override
        public void visit(int version, int access, String name, String signature, String superName,
                String[] interfaces) {
            className = name;
            if ((access & Opcodes.ACC_SYNTHETIC) != 0) {
                return;
            }
            if (superName != null) {
                use(superName, false);
            }
            for (String type : interfaces) {
                use(type, false);
            }
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                String[] exceptions) {
            if ((access & Opcodes.ACC_SYNTHETIC) != 0) {
                return null;
            }
            return new MethodVisitor(Opcodes.ASM9) {
                @Override
                public void visitLineNumber(int number, Label start) {
                    line = number;
                }

                @Override
                public void visitTypeInsn(int opcode, String type) {
                    if (opcode == Opcodes.NEW) {
                        use(type, false);
                    }
                }

                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                    use(owner + '.' + method + desc, true);
                }

                @Override
                public void visitFieldInsn(int opcode, String owner, String field, String desc) {
                    use(owner + '.' + field, false);
                }
            };
        }
    }
}
