// Shared by the verify.groovy of junit-5.10, junit-5.14, junit-6 and okhttp-4: Leakproof leaves the user's class
// path alone. The caller sets expectedJUnit (junit-jupiter's version), expectedNetty and expectedOkio (null when
// the project has no okio) in the binding, then evaluates this file.
def fail = { String what -> throw new AssertionError(what) }

// dependency:tree (the first invoker build) as "groupId:artifactId:type[:classifier]:version:scope" with its depth.
def tree = new File(basedir, 'dependency-tree.txt').readLines().drop(1).collect { line ->
    def m = line =~ /^([| +\\-]*)(\S+)/
    m.find()
    def parts = m.group(2).split(':')
    [depth: m.group(1).length(), group: parts[0], artifact: parts[1], version: parts[parts.length - 2], text: m.group(2)]
}
def extensionAt = tree.findIndexOf { it.artifact == 'leakproof-extension' }
if (extensionAt < 0) fail('leakproof-extension is in the dependency tree')
def underExtension = tree.drop(extensionAt + 1).takeWhile { it.depth > tree[extensionAt].depth }
def usersOwn = ~/org\.junit.*|io\.netty|org\.jetbrains.*|com\.squareup\..*/
def brought = underExtension.findAll { it.group ==~ usersOwn }
if (!brought.isEmpty()) fail("leakproof-extension brings none of JUnit, Netty, Kotlin, okio or Shark; it brings ${brought*.text}")

tree.findAll { it.group == 'org.junit.jupiter' }.each {
    if (it.version != expectedJUnit) fail("JUnit Jupiter stays the project's $expectedJUnit: ${it.text}")
}
tree.findAll { it.group == 'io.netty' && !it.artifact.startsWith('netty-tcnative') }.each {
    if (it.version != expectedNetty) fail("Netty stays the project's $expectedNetty: ${it.text}")
}
tree.findAll { it.group == 'com.squareup.okio' }.each {
    if (expectedOkio == null || it.version != expectedOkio) fail("okio stays the project's (${expectedOkio ?: 'none'}): ${it.text}")
}
if (tree.any { it.group == 'com.squareup.leakcanary' }) fail('Shark is inside the extension\'s jar, not on the class path')
if (expectedOkio == null && tree.any { it.group == 'org.jetbrains.kotlin' }) fail('no Kotlin stdlib on a Java project\'s class path')

// The POM the invoker installed is the dependency-reduced one: Shark, Kotlin and okio are not in it.
def pom = new groovy.xml.XmlSlurper().parse(new File(localRepositoryPath,
        "dev/leakproof/leakproof-extension/$leakproofVersion/leakproof-extension-${leakproofVersion}.pom"))
def listed = pom.dependencies.dependency.collect { "${it.groupId}:${it.artifactId}:${it.scope}".toString() }
['com.squareup.leakcanary:', 'com.squareup.okio:', 'org.jetbrains.kotlin:'].each { group ->
    if (listed.any { it.startsWith(group) }) fail("the installed leakproof-extension POM lists no $group: $listed")
}
['org.junit.jupiter:junit-jupiter-api:', 'io.netty:netty-handler:'].each { artifact ->
    if (!listed.contains(artifact + 'provided')) fail("the installed POM lists $artifact as provided: $listed")
}

// What the tests ran on: the project's own JUnit, once.
def reports = new File(basedir, 'target/surefire-reports').listFiles().findAll { it.name.startsWith('TEST-') }
if (reports.isEmpty()) fail('Surefire wrote its XML reports')
def classPath = (reports[0].text =~ /name="surefire.test.class.path" value="([^"]*)"/)[0][1]
def apis = (classPath =~ /junit-jupiter-api-([^\/:;]+)\.jar/).collect { it[1] }
if (apis != [expectedJUnit]) fail("the tests ran on junit-jupiter-api $expectedJUnit alone, not $apis")
if (classPath.contains('kotlin-stdlib-2.') || classPath.contains('okio-2.')) fail('no Kotlin 2 or okio 2 arrives with Leakproof')
return true
