"""Build the demo organisation shipped in ``catalog/demo/`` from the O*NET and ESCO data.

Run from the project root::

    .venv/bin/python scripts/build_demo.py [--data ../shared/data] [--out catalog/demo]

The output is deterministic: the same data gives byte-identical JSON files. What is derived from
which source, and how, is described in ``catalog/demo/README.md``; in short:

* skills: a curated technology taxonomy whose O*NET technology names and ESCO concept URIs are
  looked up in the data (never typed in), plus the O*NET Skills/Knowledge elements the roles use;
* roles: O*NET occupations run through :func:`catalog.importers.onet.read_onet`, their ratings
  and hot technologies mapped onto the demo taxonomy and trimmed to the most important;
* items: well-known public certifications and courses, with internal mentoring, assignments and
  programs;
* employees: fictional people generated with a fixed seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from collections import Counter, defaultdict
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.importers import name_key  # noqa: E402
from catalog.importers.esco import read_esco  # noqa: E402
from catalog.importers.onet import read_onet  # noqa: E402
from catalog.vocabulary import MODALITIES, SKILL_SOURCES  # noqa: E402
from recommender.profile import add_months  # noqa: E402

SEED = 20250601
ESCO_NAMESPACE = "http://data.europa.eu/esco/"

# --- skills --------------------------------------------------------------------------------------

# (id, name, category, aliases, description, O*NET technology examples, ESCO preferred labels).
# The first O*NET example and the first ESCO label become the skill's external ids; every listed
# example maps onto the skill when roles are derived. The script fails if a name is not found.
# fmt: off
TECH_SKILLS: list[tuple[str, str, str, list[str], str, list[str], list[str]]] = [
    # cloud
    ("cloud-computing", "Cloud computing", "cloud", ["cloud", "cloud technologies"],
     "Service and deployment models of public, private and hybrid clouds, and how to run "
     "workloads on them.", [], ["cloud technologies"]),
    ("aws", "Amazon Web Services", "cloud", ["AWS", "Amazon AWS"],
     "Designing, deploying and operating workloads on AWS: compute, storage, networking, IAM.",
     ["Amazon Web Services AWS software", "Amazon Elastic Compute Cloud EC2",
      "Amazon Simple Storage Service S3"], []),
    ("aws-cloudformation", "AWS CloudFormation", "cloud", ["CloudFormation"],
     "Declaring AWS infrastructure as CloudFormation templates and stacks.",
     ["Amazon Web Services AWS CloudFormation"], []),
    ("azure", "Microsoft Azure", "cloud", ["Azure"],
     "Designing, deploying and operating workloads on Microsoft Azure.",
     ["Microsoft Azure software"], []),
    ("gcp", "Google Cloud", "cloud", ["GCP", "Google Cloud Platform"],
     "Designing, deploying and operating workloads on Google Cloud.", [], []),
    ("oci", "Oracle Cloud Infrastructure", "cloud", ["OCI", "Oracle Cloud"],
     "Running workloads and databases on Oracle Cloud Infrastructure.",
     ["Oracle Cloud software"], []),
    ("cloud-architecture", "Cloud architecture", "cloud", ["cloud solution architecture"],
     "Designing resilient, secure, cost-aware systems from cloud services.", [],
     ["design cloud architecture"]),
    ("cloud-security", "Cloud security", "cloud", ["cloud security and compliance"],
     "Securing cloud accounts, workloads and data; shared responsibility and compliance.", [],
     ["implement cloud security and compliance"]),
    ("cloud-networking", "Cloud networking", "cloud", ["VPC design"],
     "Virtual networks, private connectivity, DNS and load balancing in the cloud.", [],
     ["design cloud networks"]),
    ("cloud-migration", "Cloud migration", "cloud", ["migration to cloud"],
     "Assessing, planning and moving applications and data to the cloud.", [],
     ["plan migration to cloud"]),
    ("serverless", "Serverless computing", "cloud", ["FaaS", "AWS Lambda", "Azure Functions"],
     "Building event-driven applications on managed functions and services.", [], []),
    ("finops", "Cloud cost management", "cloud", ["FinOps", "cloud financial management"],
     "Measuring, allocating and optimising cloud spend.", [], []),
    # containers and DevOps
    ("docker", "Docker", "containers", ["containers", "Docker Engine"],
     "Building, shipping and running applications in containers.", ["Docker"], []),
    ("kubernetes", "Kubernetes", "containers", ["k8s"],
     "Deploying, scaling and operating containerised workloads on Kubernetes.",
     ["Kubernetes"], []),
    ("openshift", "OpenShift", "containers", ["OpenShift Container Platform"],
     "Operating and developing on Red Hat's Kubernetes platform.",
     ["Red Hat OpenShift"], []),
    ("helm", "Helm", "containers", ["Helm charts"],
     "Packaging and releasing Kubernetes applications with Helm charts.", [], []),
    ("terraform", "Terraform", "devops", ["HashiCorp Terraform", "OpenTofu"],
     "Provisioning infrastructure as code with Terraform.", ["IBM Terraform"], []),
    ("infrastructure-as-code", "Infrastructure as code", "devops", ["IaC"],
     "Managing infrastructure through versioned, reviewed, automated code.", [], []),
    ("ansible", "Ansible", "devops", ["Red Hat Ansible"],
     "Automating configuration and deployment with Ansible playbooks.",
     ["Ansible software"], ["Ansible"]),
    ("jenkins", "Jenkins", "devops", ["Jenkins CI"],
     "Automating builds, tests and deployments with Jenkins pipelines.", ["Jenkins CI"],
     ["Jenkins (tools for software configuration management)"]),
    ("github-actions", "GitHub Actions", "devops", [],
     "Automating CI/CD workflows with GitHub Actions.", [], []),
    ("ci-cd", "Continuous integration and delivery", "devops",
     ["CI/CD", "continuous delivery", "continuous deployment"],
     "Building, testing and releasing software automatically and often.",
     ["Atlassian Bamboo"], []),
    ("git", "Git", "devops", ["version control", "GitHub"],
     "Version control with Git: branching, merging, reviews and history.",
     ["Git", "GitHub", "Atlassian Bitbucket", "Apache Subversion SVN"], []),
    ("devops", "DevOps practices", "devops", ["DevOps culture"],
     "Collaboration, automation and feedback loops between development and operations.", [],
     ["DevOps"]),
    ("site-reliability-engineering", "Site reliability engineering", "devops",
     ["SRE", "service level objectives"],
     "Running services reliably with SLOs, error budgets, on-call and post-mortems.", [], []),
    ("observability", "Observability and monitoring", "devops",
     ["monitoring and alerting", "Prometheus", "Grafana", "OpenTelemetry"],
     "Metrics, logs and traces that tell what a system is doing and why.", [],
     ["cloud monitoring and reporting"]),
    # infrastructure and operating systems
    ("linux", "Linux", "infrastructure", ["GNU/Linux", "Linux administration"],
     "Administering Linux systems: users, packages, services, storage and networking.",
     ["Linux"], []),
    ("bash", "Shell scripting", "infrastructure", ["Bash", "UNIX shell", "shell script"],
     "Automating tasks with Bash and POSIX shell scripts.",
     ["Bash", "Shell script", "UNIX Shell"], ["use scripting programming"]),
    ("powershell", "PowerShell", "infrastructure", ["Microsoft PowerShell"],
     "Automating Windows and cloud administration with PowerShell.",
     ["Microsoft PowerShell"], []),
    ("windows-server", "Windows Server", "infrastructure", ["Microsoft Windows Server"],
     "Installing and administering Windows Server roles and features.",
     ["Microsoft Windows Server"], []),
    ("windows", "Windows", "infrastructure", ["Windows 11", "Windows desktop"],
     "Supporting and configuring Windows clients.", ["Microsoft Windows"], []),
    ("operating-systems", "Operating systems", "infrastructure", ["OS internals"],
     "How operating systems manage processes, memory, files and devices.",
     ["Operating system software"], ["operating systems"]),
    ("active-directory", "Active Directory", "infrastructure",
     ["Microsoft Active Directory", "AD DS", "directory services"],
     "Managing identities, groups and policies in Active Directory.",
     ["Microsoft Active Directory", "Network directory services software"], []),
    ("virtualization", "Virtualization", "infrastructure", ["VMware vSphere", "Hyper-V"],
     "Running and managing virtual machines and hypervisors.", [],
     ["manage ICT virtualisation environments"]),
    ("system-administration", "Systems administration", "infrastructure", ["sysadmin"],
     "Keeping servers and services installed, patched, backed up and running.", [],
     ["administer ICT system"]),
    ("backup-and-recovery", "Backup and recovery", "infrastructure",
     ["disaster recovery", "backups"],
     "Designing and testing backups, restores and disaster recovery.", [],
     ["use back-up and recovery tools"]),
    ("it-support", "IT support", "infrastructure", ["help desk", "service desk", "desktop support"],
     "Diagnosing and resolving users' hardware, software and access problems.", [],
     ["provide ICT support"]),
    ("itsm", "IT service management", "infrastructure", ["ITSM", "ITIL practices"],
     "Running IT as services: incident, problem, change and request management.", [], []),
    ("servicenow", "ServiceNow", "infrastructure", [],
     "Working with and administering the ServiceNow platform.", ["ServiceNow"], []),
    ("microsoft-365", "Microsoft 365 administration", "infrastructure",
     ["Office 365", "SharePoint", "Microsoft Teams administration"],
     "Administering Microsoft 365 services: Exchange, SharePoint, Teams and licences.",
     ["Microsoft SharePoint", "Microsoft Teams"], []),
    # networking
    ("networking", "Networking", "networking",
     ["computer networking", "telecommunications", "network engineering"],
     "How networks carry data: media, switching, routing, addressing and services.", [],
     ["design computer network"]),
    ("tcp-ip", "TCP/IP", "networking", ["internet protocol suite", "IPv4", "IPv6"],
     "The internet protocol suite: addressing, subnetting, TCP, UDP and common services.", [],
     ["ICT communications protocols"]),
    ("routing-and-switching", "Routing and switching", "networking", ["BGP", "OSPF", "VLANs"],
     "Configuring switches and routers and the protocols between them.",
     ["Border Gateway Protocol BGP"], ["ICT network routing"]),
    ("firewalls", "Firewalls", "networking", ["firewall administration"],
     "Designing and administering firewall rules and network segmentation.",
     ["Firewall software"], ["implement a firewall"]),
    ("vpn", "VPN", "networking", ["virtual private network", "IPsec"],
     "Connecting sites and users securely over public networks.", [],
     ["implement a virtual private network"]),
    ("wireless-networking", "Wireless networking", "networking", ["Wi-Fi", "WLAN"],
     "Designing and running enterprise Wi-Fi.", ["Aruba Networks AirWave"], []),
    ("dns", "DNS", "networking", ["domain name system"],
     "Running and troubleshooting name resolution.", [], []),
    ("cisco-networking", "Cisco networking", "networking", ["Cisco IOS"],
     "Configuring and operating Cisco network equipment.", [], ["Cisco"]),
    ("network-management", "Network monitoring and management", "networking",
     ["network monitoring", "SNMP"],
     "Monitoring network health and performance and managing configurations.", [],
     ["network management system tools"]),
    # security
    ("security", "Information security", "security", ["cybersecurity", "infosec", "IT security"],
     "Protecting the confidentiality, integrity and availability of information and systems.",
     [], ["cyber security"]),
    ("security-operations", "Security operations", "security",
     ["SOC", "SIEM", "security monitoring", "intrusion detection"],
     "Detecting, triaging and investigating security events.",
     ["Intrusion detection system IDS"], []),
    ("incident-response", "Incident response", "security", ["incident handling", "DFIR"],
     "Containing, eradicating and recovering from security incidents.", [], []),
    ("splunk", "Splunk", "security", ["Splunk Enterprise"],
     "Searching, reporting and alerting on machine data with Splunk.",
     ["Splunk Enterprise"], []),
    ("vulnerability-management", "Vulnerability management", "security",
     ["vulnerability scanning", "patch management"],
     "Finding, prioritising and fixing vulnerabilities.", [],
     ["identify ICT system weaknesses"]),
    ("nessus", "Nessus", "security", ["Tenable Nessus"],
     "Vulnerability scanning with Tenable Nessus.", ["Tenable Nessus"], ["Nessus"]),
    ("penetration-testing", "Penetration testing", "security",
     ["pentesting", "ethical hacking", "security testing"],
     "Attacking systems with permission to find exploitable weaknesses.", [],
     ["perform ICT security testing"]),
    ("metasploit", "Metasploit", "security", ["Metasploit Framework"],
     "Exploitation and post-exploitation with the Metasploit Framework.", ["Metasploit"],
     ["Metasploit"]),
    ("kali-linux", "Kali Linux", "security", [],
     "The Kali Linux distribution and its offensive security tools.", ["Kali Linux"],
     ["Kali Linux"]),
    ("nmap", "Nmap", "security", ["network scanning"],
     "Host discovery, port scanning and service detection with Nmap.", ["Nmap"], []),
    ("burp-suite", "Burp Suite", "security", ["PortSwigger Burp Suite"],
     "Testing web applications with Burp Suite.", ["Portswigger BurP Suite"], []),
    ("wireshark", "Wireshark", "security", ["packet analysis"],
     "Capturing and analysing network traffic with Wireshark.", ["Wireshark"],
     ["Wireshark"]),
    ("mitre-attack", "MITRE ATT&CK", "security", ["ATT&CK"],
     "Describing adversary tactics and techniques with the MITRE ATT&CK knowledge base.",
     ["MITRE ATT&CK software"], []),
    ("identity-and-access-management", "Identity and access management", "security",
     ["IAM", "access control"],
     "Managing identities, authentication and authorisation across systems.", [],
     ["maintain ICT identity management"]),
    ("saml", "SAML and single sign-on", "security", ["SSO", "SAML"],
     "Federated authentication with SAML and OpenID Connect.",
     ["Security assertion markup language SAML"], []),
    ("cryptography", "Cryptography", "security", ["encryption", "PKI"],
     "Encryption, hashing, signatures, keys and certificates.", [], ["ICT encryption"]),
    ("application-security", "Application security", "security",
     ["AppSec", "OWASP Top 10", "secure coding"],
     "Building and testing software that resists attack.", [],
     ["web application security threats"]),
    ("security-compliance", "Security governance and compliance", "security",
     ["GRC", "ISO 27001", "SOC 2"],
     "Policies, controls, audits and frameworks that keep security accountable.", [],
     ["manage IT security compliances"]),
    ("risk-management", "Risk management", "security", ["risk assessment"],
     "Identifying, assessing and treating risks.", [], ["risk management"]),
    ("digital-forensics", "Digital forensics", "security",
     ["computer forensics", "EnCase", "FTK"],
     "Acquiring, preserving and analysing digital evidence.",
     ["AccessData FTK", "Guidance Software EnCase Enterprise"], ["computer forensics"]),
    ("data-protection", "Data protection and privacy", "security", ["GDPR", "privacy"],
     "Handling personal data lawfully and securely.", [], ["data protection"]),
    # data
    ("sql", "SQL", "data", ["structured query language"],
     "Querying and changing relational data with SQL.",
     ["Structured query language SQL"], ["SQL"]),
    ("t-sql", "T-SQL", "data", ["TSQL"],
     "Microsoft SQL Server's SQL dialect and procedural extensions.", ["Transact-SQL"], []),
    ("pl-sql", "PL/SQL", "data", ["Oracle PL/SQL"],
     "Oracle's procedural extension of SQL.", ["Oracle PL/SQL"], []),
    ("postgresql", "PostgreSQL", "data", ["Postgres"],
     "Using and administering PostgreSQL.", ["PostgreSQL"], ["PostgreSQL"]),
    ("mysql", "MySQL", "data", ["MariaDB"],
     "Using and administering MySQL.", ["MySQL"], ["MySQL"]),
    ("sql-server", "SQL Server", "data", ["MSSQL"],
     "Using and administering Microsoft SQL Server.",
     ["Microsoft SQL Server", "Microsoft SQL Server Reporting Services SSRS"],
     ["SQL Server"]),
    ("oracle-database", "Oracle Database", "data", ["Oracle RDBMS"],
     "Using and administering Oracle Database.", ["Oracle Database"],
     ["Oracle Relational Database"]),
    ("mongodb", "MongoDB", "data", [], "Modelling and querying document data in MongoDB.",
     ["MongoDB"], []),
    ("nosql", "NoSQL databases", "data", ["NoSQL", "non-relational databases"],
     "Key-value, document, wide-column and graph stores and when to use them.",
     ["NoSQL"], []),
    ("dynamodb", "DynamoDB", "data", [],
     "Key-value and document data on Amazon DynamoDB.", ["Amazon DynamoDB"], []),
    ("database-administration", "Database administration", "data", ["DBA", "DBMS"],
     "Installing, tuning, securing, backing up and upgrading databases.",
     ["Relational database management system software", "Database management systems"],
     ["database management systems"]),
    ("data-modeling", "Data modelling", "data", ["data modeling", "ER modelling"],
     "Designing conceptual, logical and physical data models.", [], ["data models"]),
    ("data-warehousing", "Data warehousing", "data", ["data warehouse", "dimensional modelling"],
     "Designing and loading analytical data warehouses.", [], ["data warehouse"]),
    ("etl", "Data integration (ETL/ELT)", "data", ["ETL", "ELT", "Informatica", "SSIS"],
     "Extracting, transforming and loading data between systems.",
     ["Informatica software", "Microsoft SQL Server Integration Services SSIS"],
     ["data extraction, transformation and loading tools"]),
    ("data-engineering", "Data engineering", "data", ["data pipelines"],
     "Building reliable batch and streaming data pipelines.", [],
     ["develop data processing applications"]),
    ("spark", "Spark", "data", ["PySpark", "Spark SQL"],
     "Distributed data processing with Apache Spark.", ["Apache Spark"], []),
    ("kafka", "Kafka", "data", ["event streaming"],
     "Event streaming with Apache Kafka.", ["Apache Kafka"], []),
    ("databricks", "Databricks", "data", ["Databricks Lakehouse"],
     "Data engineering and analytics on the Databricks platform.", [], []),
    ("snowflake", "Snowflake", "data", ["Snowflake Data Cloud"],
     "Loading, modelling and querying data in Snowflake.", [], []),
    ("redshift", "Redshift", "data", [],
     "Data warehousing on Amazon Redshift.", ["Amazon Redshift"], []),
    ("big-data", "Big data", "data", ["big data analytics"],
     "Storing and analysing data too large for one machine.", [], ["analyse big data"]),
    ("data-quality", "Data quality", "data", ["data cleansing"],
     "Measuring and improving the accuracy and completeness of data.", [],
     ["implement data quality processes"]),
    ("python", "Python", "data", ["Python 3"],
     "Programming in Python for automation, data and services.", ["Python"],
     ["Python (computer programming)"]),
    ("r", "R", "data", ["R language"], "Statistical computing and graphics with R.", ["R"],
     ["R"]),
    ("pandas", "pandas", "data", [], "Data wrangling and analysis in Python with pandas.",
     ["pandas"], []),
    ("numpy", "NumPy", "data", [], "Numerical computing in Python with NumPy arrays.",
     ["NumPy"], []),
    ("scikit-learn", "scikit-learn", "data", ["sklearn"],
     "Classical machine learning in Python with scikit-learn.", ["Scikit-learn"], []),
    ("tensorflow", "TensorFlow", "data", ["Keras"],
     "Building and training neural networks with TensorFlow.", ["TensorFlow"], []),
    ("pytorch", "PyTorch", "data", [], "Building and training neural networks with PyTorch.",
     ["PyTorch"], []),
    ("machine-learning", "Machine learning", "data", ["ML"],
     "Training, evaluating and deploying predictive models.", [], ["machine learning"]),
    ("deep-learning", "Deep learning", "data", ["neural networks"],
     "Neural network architectures and how to train them.", [],
     ["artificial neural networks"]),
    ("artificial-intelligence", "Artificial intelligence", "data", ["AI", "generative AI"],
     "Principles and applications of AI systems, including large language models.", [],
     ["principles of artificial intelligence"]),
    ("statistics", "Statistics", "data", ["statistical analysis"],
     "Descriptive and inferential statistics, experiments and uncertainty.", [],
     ["statistics"]),
    ("data-analysis", "Data analysis", "data", ["analytics"],
     "Turning data into answers: cleaning, exploring, summarising, explaining.", [],
     ["perform data analysis"]),
    ("data-visualization", "Data visualisation", "data",
     ["data visualization", "dashboards"],
     "Presenting data in charts and dashboards people can act on.", [],
     ["prepare visual data"]),
    ("tableau", "Tableau", "data", [], "Analysis and dashboards with Tableau.", ["Tableau"],
     []),
    ("power-bi", "Power BI", "data", ["Microsoft Power BI"],
     "Data models, DAX and reports in Microsoft Power BI.", ["Microsoft Power BI"], []),
    ("excel", "Excel", "data", ["Microsoft Excel", "spreadsheets"],
     "Spreadsheet analysis, formulas, pivot tables and charts.", ["Microsoft Excel"],
     ["use spreadsheets software"]),
    # programming
    ("java", "Java", "programming", ["Java SE"], "Programming in Java.", ["Oracle Java"],
     ["Java (computer programming)"]),
    ("javascript", "JavaScript", "programming", ["JS", "ECMAScript"],
     "Programming in JavaScript for browsers and servers.", ["JavaScript"], ["JavaScript"]),
    ("typescript", "TypeScript", "programming", ["TS"], "Typed JavaScript with TypeScript.",
     ["TypeScript"], ["TypeScript"]),
    ("c", "C", "programming", ["C language"], "Systems programming in C.", ["C"], []),
    ("c-sharp", "C#", "programming", ["C sharp", "csharp"], "Programming in C# on .NET.",
     ["C#"], ["C#"]),
    ("php", "PHP", "programming", [], "Web programming in PHP.", ["PHP"], ["PHP"]),
    ("dotnet", ".NET", "programming", ["dotnet", "ASP.NET", ".NET Framework"],
     "Building applications on Microsoft .NET.",
     ["Microsoft .NET Framework", "Microsoft ASP.NET"], []),
    ("spring", "Spring", "programming", ["Spring Boot", "Spring Framework"],
     "Building Java services with Spring and Spring Boot.",
     ["Spring Framework", "Spring Boot"], []),
    ("django", "Django", "programming", [], "Building web applications with Django.",
     ["Django"], []),
    ("node-js", "Node.js", "programming", ["Node"], "Server-side JavaScript with Node.js.",
     ["Node.js"], []),
    ("rest-apis", "REST APIs", "architecture", ["RESTful API", "API design", "OpenAPI"],
     "Designing, documenting and consuming HTTP APIs.", ["RESTful API"],
     ["design application interfaces"]),
    ("object-oriented-programming", "Object-oriented programming", "programming", ["OOP"],
     "Designing software with objects, classes and interfaces.", [],
     ["use object-oriented programming"]),
    ("algorithms", "Algorithms and data structures", "programming", ["data structures"],
     "Choosing and analysing algorithms and data structures.", [], ["algorithms"]),
    ("design-patterns", "Software design patterns", "programming", ["design patterns"],
     "Reusable solutions to recurring design problems.", [],
     ["use software design patterns"]),
    ("debugging", "Debugging", "programming", [],
     "Finding and fixing defects systematically.", [], ["debug software"]),
    ("code-review", "Code review", "programming", ["peer review"],
     "Reviewing changes for correctness, clarity and risk.", [],
     ["conduct ICT code review"]),
    # web
    ("html", "HTML", "web", ["HTML5"], "Structuring web content with semantic HTML.",
     ["Hypertext markup language HTML"], ["use markup languages"]),
    ("css", "CSS", "web", ["CSS3", "stylesheets"], "Styling and laying out web pages with CSS.",
     ["Cascading style sheets CSS"], ["CSS"]),
    ("react", "React", "web", ["React.js", "ReactJS"], "Building user interfaces with React.",
     ["React"], []),
    ("web-accessibility", "Web accessibility", "web", ["WCAG", "a11y"],
     "Building web content everyone can use, to WCAG.", [], ["ICT accessibility standards"]),
    ("responsive-design", "Responsive web design", "web", ["mobile-first design"],
     "Layouts that adapt to every screen size.", [], ["maintain responsive design"]),
    ("ux-design", "UX and UI design", "web", ["UX", "UI design", "user experience"],
     "Research, interaction and visual design of digital products.", [],
     ["design user interface"]),
    ("figma", "Figma", "web", [], "Designing and prototyping interfaces in Figma.", ["Figma"],
     []),
    ("wordpress", "WordPress", "web", [], "Building and running sites on WordPress.",
     ["WordPress"], ["WordPress"]),
    ("drupal", "Drupal", "web", [], "Building and running sites on Drupal.", ["Drupal"],
     ["Drupal"]),
    ("web-content-management", "Web content management", "web", ["CMS"],
     "Running web content management systems and publishing workflows.",
     ["Web content management system CMS software"],
     ["use content management system software"]),
    ("web-analytics", "Web analytics", "web", ["Google Analytics"],
     "Measuring and interpreting website traffic and behaviour.", ["Google Analytics"],
     ["web analytics"]),
    ("seo", "SEO", "web", ["search engine optimization"],
     "Making sites easy to find in search engines.", [], ["search engine optimisation"]),
    # quality
    ("software-testing", "Software testing", "quality", ["QA testing", "manual testing"],
     "Designing and running tests that find defects early.", [], ["execute software tests"]),
    ("test-automation", "Test automation", "quality", ["automated testing"],
     "Automating tests at unit, API and UI level.", [], ["tools for ICT test automation"]),
    ("selenium", "Selenium", "quality", ["Selenium WebDriver"],
     "Automating browsers for UI tests with Selenium.", ["Selenium"], []),
    ("junit", "JUnit", "quality", [], "Unit testing Java code with JUnit.", ["JUnit"], []),
    ("api-testing", "API testing", "quality", ["Postman"],
     "Testing HTTP APIs for function, contract and robustness.", ["Postman"], []),
    ("performance-testing", "Performance testing", "quality",
     ["load testing", "JMeter", "k6"],
     "Measuring speed, scalability and stability under load.", [], []),
    ("test-management", "Test management", "quality", ["test planning", "test strategy"],
     "Planning, estimating, tracking and reporting testing.", [], ["plan software testing"]),
    ("quality-assurance", "Quality assurance", "quality", ["QA"],
     "Processes and standards that build quality into delivery.", [],
     ["quality assurance methodologies"]),
    ("unit-testing", "Unit testing", "quality", ["TDD"],
     "Writing fast, isolated tests for small units of code.", [],
     ["perform software unit testing"]),
    # architecture
    ("software-architecture", "Software architecture", "architecture", ["solution design"],
     "Structuring systems into components and deciding how they interact.", [],
     ["define software architecture"]),
    ("enterprise-architecture", "Enterprise architecture", "architecture", ["TOGAF"],
     "Aligning business capabilities, information, applications and technology.", [],
     ["design enterprise architecture"]),
    ("system-design", "System design", "architecture", ["distributed systems design"],
     "Designing information systems that meet functional and quality requirements.", [],
     ["design information system"]),
    ("microservices", "Microservices", "architecture", ["service-oriented architecture", "SOA"],
     "Designing systems as small, independently deployable services.", [],
     ["service-oriented modelling"]),
    ("systems-integration", "Systems integration", "architecture", ["integration"],
     "Connecting systems reliably: APIs, messaging, data and identity.", [],
     ["define integration strategy"]),
    ("uml", "UML", "architecture", ["unified modelling language"],
     "Modelling software structure and behaviour with UML.", [],
     ["unified modelling language"]),
    # project management and ways of working
    ("project-management", "Project management", "project-management", ["PM"],
     "Planning, running and closing projects to scope, time and budget.", [],
     ["project management"]),
    ("agile", "Agile delivery", "project-management", ["agile methods", "agile development"],
     "Iterative, incremental delivery with short feedback loops.", [],
     ["Agile development"]),
    ("scrum", "Scrum", "project-management", ["Scrum Master"],
     "The Scrum framework: roles, events and artefacts.", [], []),
    ("kanban", "Kanban", "project-management", [],
     "Visualising and limiting work in progress to improve flow.", [], []),
    ("scaled-agile", "Scaled agile", "project-management", ["SAFe", "Large-Scale Scrum"],
     "Coordinating many agile teams on one product or programme.", [], []),
    ("prince2", "PRINCE2", "project-management", [],
     "The PRINCE2 project management method.", [], []),
    ("jira", "Jira", "project-management", ["Atlassian JIRA"],
     "Planning and tracking work in Jira.", ["Atlassian JIRA"], []),
    ("confluence", "Confluence", "project-management", ["Atlassian Confluence"],
     "Team documentation and knowledge sharing in Confluence.", ["Atlassian Confluence"],
     []),
    ("project-management-software", "Project management tools", "project-management",
     ["Microsoft Project", "Primavera", "Smartsheet"],
     "Scheduling, resourcing and tracking projects with planning tools.",
     ["Project management software", "Microsoft Project",
      "Oracle Primavera Enterprise Project Portfolio Management"], []),
    ("stakeholder-management", "Stakeholder management", "project-management",
     ["stakeholder engagement"],
     "Identifying stakeholders and keeping them informed, involved and aligned.", [], []),
    ("business-analysis", "Business analysis", "project-management",
     ["requirements analysis", "BA"],
     "Eliciting, analysing and documenting business needs and requirements.", [],
     ["perform business analysis"]),
    ("requirements-engineering", "Requirements engineering", "project-management",
     ["user stories", "technical requirements"],
     "Turning needs into testable functional and technical requirements.", [],
     ["define technical requirements"]),
    ("process-modeling", "Process modelling", "project-management",
     ["BPMN", "Microsoft Visio"],
     "Mapping and improving business processes with diagrams.", ["Microsoft Visio"],
     ["analyse business processes"]),
    ("microsoft-office", "Microsoft Office", "project-management",
     ["Office", "Word", "PowerPoint", "Outlook"],
     "Documents, presentations and mail with the Microsoft Office suite.",
     ["Microsoft Office software", "Microsoft PowerPoint", "Microsoft Word",
      "Microsoft Outlook"], ["use microsoft office"]),
]
# fmt: on

# O*NET Skills/Knowledge elements kept under another id in the demo taxonomy.
ELEMENT_SKILL_IDS = {
    "2.C.9.a": "networking",  # Telecommunications: transmission, switching, networks.
    "2.C.4.a": "mathematics",  # Mathematics (knowledge) folds into the Mathematics skill.
}
# Extra aliases and ESCO labels for element skills.
ELEMENT_EXTRAS = {
    "programming": (["coding", "software programming"], ["computer programming"]),
    "critical-thinking": (["analytical thinking"], []),
    "complex-problem-solving": (["problem solving"], []),
    "judgment-and-decision-making": (["decision making"], []),
    "writing": (["business writing", "technical writing"], []),
    "speaking": (["presenting", "public speaking"], []),
    "computers-and-electronics": (["computer fundamentals"], ["computer science"]),
    "mathematics": (["maths", "math"], []),
    "customer-and-personal-service": (["customer service"], []),
    "management-of-personnel-resources": (["people management"], []),
    "troubleshooting": (["fault finding"], ["perform ICT troubleshooting"]),
    "systems-analysis": (["systems thinking"], ["analyse ICT system"]),
    "quality-control-analysis": (["quality control"], []),
    "education-and-training": (["training design"], []),
}

# --- roles ---------------------------------------------------------------------------------------

# O*NET Skills/Knowledge elements a demo role may require; the others (Physics, Geography,
# Repairing, ...) say little about technology work and are left out of the demo taxonomy.
# fmt: off
ROLE_ELEMENTS = {
    "reading-comprehension", "active-listening", "writing", "speaking", "mathematics",
    "critical-thinking", "active-learning", "learning-strategies", "monitoring",
    "social-perceptiveness", "coordination", "persuasion", "negotiation", "instructing",
    "complex-problem-solving", "operations-analysis", "technology-design",
    "programming", "quality-control-analysis", "operations-monitoring", "troubleshooting",
    "judgment-and-decision-making", "systems-analysis", "systems-evaluation", "time-management",
    "management-of-financial-resources", "management-of-personnel-resources",
    "administration-and-management", "economics-and-accounting", "customer-and-personal-service",
    "personnel-and-human-resources", "computers-and-electronics", "engineering-and-technology",
    "design", "networking", "english-language", "education-and-training",
    "communications-and-media", "public-safety-and-security",
}
# fmt: on
# Elements kept per role: the most important ones, then those that set the role apart
# (importance furthest above the average over the demo roles, and at least "important": IM >= 3).
TOP_ELEMENTS = 4
DISTINCTIVE_ELEMENTS = 3
DISTINCTIVE_MIN_WEIGHT = 0.6
# Technologies kept per role, for occupations with and without O*NET ratings.
TECH_LIMIT = 7
TECH_LIMIT_UNRATED = 10


class RoleSpec(NamedTuple):
    """How one demo role is derived from an O*NET occupation."""

    id: str
    soc: str
    title: str
    family: str
    #: Other titles; each must be one of O*NET's alternate titles for the occupation.
    alternates: list[str]
    #: Technologies ranked first among the occupation's hot and in-demand ones (each must be
    #: listed by O*NET for the occupation), required at ``focus_level``.
    focus: list[str]
    focus_level: int
    #: Curated (skill, level, weight) competencies for practices O*NET has no element or
    #: technology for, such as penetration testing or cloud architecture.
    core: list[tuple[str, int, float]]


# fmt: off
ROLES = [
    RoleSpec(
        "information-security-analyst", "15-1212.00", "Information Security Analyst", "security",
        ["Cyber Security Analyst", "Cybersecurity Specialist", "Cyber Incident Responder",
         "Security Consultant"],
        ["firewalls", "splunk", "linux", "python", "aws", "azure"], 3,
        [("security", 4, 0.9), ("security-operations", 3, 0.8), ("incident-response", 3, 0.7),
         ("vulnerability-management", 3, 0.6)],
    ),
    RoleSpec(
        "information-security-engineer", "15-1299.05", "Information Security Engineer",
        "security",
        ["Security Engineer", "Cloud Security Engineer", "Network Security Engineer"],
        ["firewalls", "saml", "nessus", "terraform", "active-directory", "aws", "azure", "splunk",
         "python", "ansible"], 4,
        [("security", 4, 0.9), ("cloud-security", 4, 0.8),
         ("identity-and-access-management", 4, 0.8), ("security-compliance", 3, 0.6)],
    ),
    RoleSpec(
        "penetration-tester", "15-1299.04", "Penetration Tester", "security",
        ["Penetration Testing Consultant", "Application Security Tester", "Vulnerability Analyst",
         "Security Tester"],
        ["kali-linux", "metasploit", "nmap", "burp-suite", "wireshark", "nessus", "mitre-attack",
         "python", "bash", "linux"], 3,
        [("penetration-testing", 4, 1.0), ("application-security", 3, 0.8), ("tcp-ip", 3, 0.6)],
    ),
    RoleSpec(
        "digital-forensics-analyst", "15-1299.06", "Digital Forensics Analyst", "security",
        ["Digital Forensic Examiner", "Cyber Forensics Analyst", "Incident Response Analyst",
         "Malware Analyst"],
        ["digital-forensics", "security-operations", "mitre-attack", "linux", "python",
         "windows"], 3,
        [("digital-forensics", 4, 1.0), ("incident-response", 4, 0.8),
         ("operating-systems", 3, 0.6)],
    ),
    RoleSpec(
        "network-architect", "15-1241.00", "Network Architect", "platform",
        ["Network Architect", "Cloud Architect", "Networking Engineer", "Network Designer",
         "WAN Engineer (Wide Area Network Engineer)"],
        ["routing-and-switching", "firewalls", "wireless-networking", "aws", "azure", "ansible"],
        4,
        [("tcp-ip", 4, 0.8), ("cloud-networking", 3, 0.6), ("network-management", 3, 0.5)],
    ),
    RoleSpec(
        "systems-administrator", "15-1244.00", "Systems Administrator", "platform",
        ["Systems Administrator", "Network Administrator", "Server Administrator",
         "Windows Administrator", "Virtualization Engineer"],
        ["linux", "windows-server", "active-directory", "powershell", "ansible", "aws", "azure"],
        3,
        [("system-administration", 4, 0.9), ("backup-and-recovery", 3, 0.6),
         ("virtualization", 3, 0.6)],
    ),
    RoleSpec(
        "network-support-specialist", "15-1231.00", "Network Support Specialist", "platform",
        ["Network Support Specialist", "Network Technician", "Cloud Support Specialist"],
        ["firewalls", "windows-server", "active-directory", "linux", "azure"], 3,
        [("tcp-ip", 3, 0.7), ("it-support", 3, 0.6)],
    ),
    RoleSpec(
        "it-support-specialist", "15-1232.00", "IT Support Specialist", "platform",
        ["Help Desk Analyst", "Desktop Support Engineer", "Technical Support Specialist",
         "Service Desk Analyst"],
        ["windows", "active-directory", "servicenow", "microsoft-office", "microsoft-365"], 3,
        [("it-support", 4, 0.9), ("itsm", 3, 0.6)],
    ),
    RoleSpec(
        "devops-engineer", "15-1252.00", "DevOps Engineer", "platform",
        ["DevOps Engineer", "DevOps Architect (Development and Operations Architect)",
         "Infrastructure Engineer", "Automation Engineer"],
        ["kubernetes", "docker", "terraform", "jenkins", "git", "aws", "azure", "linux", "python",
         "bash"], 3,
        [("ci-cd", 4, 0.9), ("infrastructure-as-code", 4, 0.8), ("observability", 3, 0.7),
         ("site-reliability-engineering", 3, 0.6)],
    ),
    RoleSpec(
        "cloud-architect", "15-1299.08", "Cloud Architect", "platform",
        ["Cloud Solution Architect", "Technical Architect", "Infrastructure Engineer",
         "Enterprise Architect"],
        ["aws", "azure", "kubernetes", "terraform", "docker", "linux"], 4,
        [("cloud-architecture", 4, 1.0), ("cloud-security", 3, 0.7), ("cloud-networking", 3, 0.7),
         ("infrastructure-as-code", 3, 0.6)],
    ),
    RoleSpec(
        "database-administrator", "15-1242.00", "Database Administrator", "data",
        ["Database Administrator (DBA)", "Database Engineer", "Database Specialist",
         "Database Security Administrator"],
        ["sql", "database-administration", "sql-server", "postgresql", "oracle-database", "mysql",
         "linux"], 3,
        [("backup-and-recovery", 4, 0.7)],
    ),
    RoleSpec(
        "database-architect", "15-1243.00", "Database Architect", "data",
        ["Data Architect", "Data Engineer", "Big Data Engineer", "Cloud Infrastructure Architect"],
        ["database-administration", "sql", "oracle-database", "sql-server", "etl", "nosql",
         "aws"], 4,
        [("data-modeling", 4, 0.9), ("data-warehousing", 3, 0.6)],
    ),
    RoleSpec(
        "data-warehouse-engineer", "15-1243.01", "Data Warehouse Engineer", "data",
        ["Data Warehouse Developer", "Data Warehousing Specialist", "Big Data Engineer",
         "Data Warehouse Solution Architect"],
        ["sql", "etl", "python", "tableau", "power-bi", "aws", "azure"], 3,
        [("data-warehousing", 4, 0.9), ("data-modeling", 3, 0.7)],
    ),
    RoleSpec(
        "data-scientist", "15-2051.00", "Data Scientist", "data",
        ["Data Scientist", "Machine Learning Engineer", "Data Analytics Scientist",
         "Applied Scientist"],
        ["python", "sql", "pandas", "scikit-learn", "pytorch", "tensorflow", "spark", "r",
         "tableau", "git"], 3,
        [("machine-learning", 4, 1.0), ("statistics", 4, 0.9), ("data-analysis", 4, 0.8),
         ("deep-learning", 3, 0.5)],
    ),
    RoleSpec(
        "business-intelligence-analyst", "15-2051.01", "Business Intelligence Analyst", "data",
        ["Business Intelligence Analyst (BI Analyst)", "Business Intelligence Engineer",
         "Data Analyst", "Reporting Analyst"],
        ["sql", "power-bi", "tableau", "excel", "python", "etl"], 3,
        [("data-visualization", 4, 0.9), ("data-analysis", 3, 0.8)],
    ),
    RoleSpec(
        "software-qa-analyst", "15-1253.00", "Software QA Analyst", "qa",
        ["Quality Assurance Analyst (QA Analyst)",
         "Quality Assurance Automation Engineer (QA Automation Engineer)",
         "Quality Assurance Engineer (QA Engineer)", "Automation Tester"],
        ["selenium", "api-testing", "jenkins", "jira", "git", "python", "java"], 3,
        [("software-testing", 4, 1.0), ("test-automation", 3, 0.8), ("test-management", 3, 0.6)],
    ),
    RoleSpec(
        "software-engineer", "15-1251.00", "Software Engineer", "qa",
        ["Computer Programmer", "Java Developer", "Software Programmer", "Programmer Analyst"],
        ["java", "python", "c-sharp", "javascript", "sql", "git", "spring"], 3,
        [("object-oriented-programming", 3, 0.7), ("unit-testing", 3, 0.6), ("debugging", 3, 0.6)],
    ),
    RoleSpec(
        "software-developer", "15-1252.00", "Software Developer", "web",
        ["Full Stack Developer", "Full Stack Software Engineer", "Application Developer",
         "Java Software Engineer"],
        ["java", "python", "javascript", "typescript", "react", "sql", "git", "docker", "aws",
         "rest-apis"], 3,
        [("software-architecture", 3, 0.6), ("unit-testing", 3, 0.6), ("algorithms", 3, 0.5)],
    ),
    RoleSpec(
        "web-developer", "15-1254.00", "Web Developer", "web",
        ["Front End Developer", "Web Application Developer", "Web Engineer",
         "Full Stack Developer"],
        ["javascript", "typescript", "react", "html", "css", "node-js", "git"], 3,
        [("responsive-design", 3, 0.6), ("web-accessibility", 3, 0.5)],
    ),
    RoleSpec(
        "web-designer", "15-1255.00", "Web and Digital Interface Designer", "web",
        ["User Experience Designer (UX Designer)", "User Interface Designer (UI Designer)",
         "Web Designer", "Digital Designer"],
        ["figma", "html", "css", "javascript", "jira"], 3,
        [("ux-design", 4, 1.0), ("web-accessibility", 3, 0.7), ("responsive-design", 3, 0.6)],
    ),
    RoleSpec(
        "web-administrator", "15-1299.01", "Web Administrator", "web",
        ["Web Administrator", "Webmaster", "Web Content Manager", "Website Manager"],
        ["web-content-management", "wordpress", "drupal", "web-analytics", "html", "css",
         "javascript"], 3,
        [("seo", 3, 0.6)],
    ),
    RoleSpec(
        "systems-analyst", "15-1211.00", "Systems Analyst", "pmo",
        ["Systems Analyst", "Business Systems Analyst",
         "IT Analyst (Information Technology Analyst)", "Applications Analyst"],
        ["sql", "jira", "process-modeling", "excel", "python"], 3,
        [("business-analysis", 4, 0.9), ("requirements-engineering", 3, 0.8),
         ("system-design", 3, 0.6)],
    ),
    RoleSpec(
        "it-project-manager", "15-1299.09", "IT Project Manager", "pmo",
        ["Technical Project Manager", "Infrastructure Project Manager", "Project Manager (PM)",
         "Release Manager"],
        ["jira", "project-management-software", "confluence", "excel", "microsoft-office"], 3,
        [("project-management", 4, 1.0), ("stakeholder-management", 4, 0.8), ("agile", 3, 0.8),
         ("risk-management", 3, 0.6)],
    ),
    RoleSpec(
        "project-management-specialist", "13-1082.00", "Project Management Specialist", "pmo",
        ["Project Manager", "Project Scheduler", "Project Administrator",
         "Project Delivery Manager"],
        ["project-management-software", "jira", "confluence", "excel", "microsoft-office"], 3,
        [("project-management", 4, 1.0), ("stakeholder-management", 3, 0.6), ("agile", 3, 0.6)],
    ),
    RoleSpec(
        "it-manager", "11-3021.00", "IT Manager", "pmo",
        ["Information Technology Manager (IT Manager)", "Technology Director",
         "Information Systems Manager (IS Manager)", "Software Development Director"],
        ["aws", "azure", "excel"], 3,
        [("stakeholder-management", 4, 0.7), ("itsm", 3, 0.6), ("project-management", 3, 0.6)],
    ),
]
# fmt: on

# Competencies no active item teaches up to the required level, on purpose, so that gap
# analysis and learning paths show "unmet" requirements. Each is a (role, skill) pair.
# O*NET's "Communications and Media" and "Economics and Accounting" knowledge areas stay
# untaught: the catalog has no media-production or accounting course.
DELIBERATELY_UNTEACHABLE = {
    ("it-support-specialist", "communications-and-media"),
    ("web-administrator", "communications-and-media"),
    ("web-developer", "communications-and-media"),
    ("business-intelligence-analyst", "economics-and-accounting"),
    ("it-project-manager", "economics-and-accounting"),
}


# --- catalog items -------------------------------------------------------------------------------

INTERNAL = "Internal"
INTERNAL_URL = "https://learning.example.com"


def _item(
    item_id: str,
    kind: str,
    title: str,
    provider: str,
    url: str | None,
    hours: float,
    cost: float,
    skills: dict[str, int],
    *,
    modality: str = "self_paced",
    prerequisites: dict[str, int] | None = None,
    requires: tuple[str, ...] = (),
    valid_months: int | None = None,
    active: bool = True,
    language: str = "en",
    description: str | None = None,
) -> dict[str, Any]:
    """Return an item record; an empty description is written from the taught skills later."""
    return {
        "id": item_id,
        "kind": kind,
        "title": title,
        "description": description,
        "provider": provider,
        "url": url,
        "language": language,
        "modality": modality,
        "duration_hours": float(hours),
        "cost": float(cost),
        "currency": "USD",
        "skills": [{"skill": s, "level": level} for s, level in skills.items()],
        "prerequisites": [
            {"skill": s, "level": level} for s, level in (prerequisites or {}).items()
        ],
        "requires_items": list(requires),
        "valid_months": valid_months,
        "active": active,
    }


def cert(item_id, title, provider, url, hours, cost, skills, *, valid_months=36, **kw):
    """A certification: exam fee as cost, study hours as duration."""
    return _item(
        item_id,
        "certification",
        title,
        provider,
        url,
        hours,
        cost,
        skills,
        valid_months=valid_months,
        **kw,
    )


def course(item_id, title, provider, url, hours, cost, skills, **kw):
    """A course, self-paced unless told otherwise."""
    return _item(item_id, "course", title, provider, url, hours, cost, skills, **kw)


def content(item_id, title, provider, url, hours, cost, skills, **kw):
    """A book, guide or other self-study content."""
    return _item(item_id, "content", title, provider, url, hours, cost, skills, **kw)


def mentoring(item_id, title, hours, skills, **kw):
    """Internal mentoring: free, paired with a senior colleague."""
    return _item(
        item_id,
        "mentoring",
        title,
        INTERNAL,
        f"{INTERNAL_URL}/mentoring/{item_id}",
        hours,
        0,
        skills,
        modality="mentoring",
        **kw,
    )


def assignment(item_id, title, hours, skills, **kw):
    """An on-the-job stretch assignment."""
    return _item(
        item_id,
        "assignment",
        title,
        INTERNAL,
        f"{INTERNAL_URL}/assignments/{item_id}",
        hours,
        0,
        skills,
        modality="on_the_job",
        **kw,
    )


def program(item_id, title, hours, cost, skills, *, modality="blended", **kw):
    """An internal learning program (cohort-based)."""
    return _item(
        item_id,
        "program",
        title,
        INTERNAL,
        f"{INTERNAL_URL}/programs/{item_id}",
        hours,
        cost,
        skills,
        modality=modality,
        **kw,
    )


AWS = "Amazon Web Services"
AWS_CERT = "https://aws.amazon.com/certification/"
MS = "Microsoft"
MS_CERT = "https://learn.microsoft.com/en-us/credentials/certifications/"
GCP = "Google Cloud"
GCP_CERT = "https://cloud.google.com/learn/certification/"
LF = "The Linux Foundation"
LF_CERT = "https://training.linuxfoundation.org/certification/"
COMPTIA = "CompTIA"
COMPTIA_CERT = "https://www.comptia.org/certifications/"
ISC2 = "ISC2"
ISC2_CERT = "https://www.isc2.org/certifications/"
COURSERA = "Coursera"
CS50 = "Harvard University (CS50)"
KAGGLE = "Kaggle"

# Exam fees are the publicly listed USD prices (non-member where it differs); study hours are
# typical preparation times. Subscriptions are priced for the months a learner usually needs.
# fmt: off
ITEMS: list[dict[str, Any]] = [
    # --- AWS
    cert("aws-ccp", "AWS Certified Cloud Practitioner", AWS,
         AWS_CERT + "certified-cloud-practitioner/", 20, 100,
         {"aws": 2, "cloud-computing": 2, "finops": 1}),
    cert("aws-ai-practitioner", "AWS Certified AI Practitioner", AWS,
         AWS_CERT + "certified-ai-practitioner/", 25, 100,
         {"artificial-intelligence": 2, "machine-learning": 1, "aws": 2}),
    cert("aws-saa", "AWS Certified Solutions Architect - Associate", AWS,
         AWS_CERT + "certified-solutions-architect-associate/", 60, 150,
         {"aws": 3, "cloud-architecture": 3, "cloud-networking": 2, "cloud-computing": 3,
          "serverless": 2}),
    cert("aws-developer", "AWS Certified Developer - Associate", AWS,
         AWS_CERT + "certified-developer-associate/", 50, 150,
         {"aws": 3, "serverless": 3, "dynamodb": 3, "ci-cd": 2}),
    cert("aws-sysops", "AWS Certified SysOps Administrator - Associate", AWS,
         AWS_CERT + "certified-sysops-admin-associate/", 55, 150,
         {"aws": 3, "aws-cloudformation": 3, "observability": 2, "cloud-networking": 2}),
    cert("aws-data-engineer", "AWS Certified Data Engineer - Associate", AWS,
         AWS_CERT + "certified-data-engineer-associate/", 60, 150,
         {"aws": 3, "data-engineering": 3, "redshift": 3, "etl": 3}),
    cert("aws-sap", "AWS Certified Solutions Architect - Professional", AWS,
         AWS_CERT + "certified-solutions-architect-professional/", 100, 300,
         {"aws": 4, "cloud-architecture": 4, "cloud-migration": 4, "cloud-networking": 3,
          "systems-evaluation": 3},
         prerequisites={"aws": 3}),
    cert("aws-devops-pro", "AWS Certified DevOps Engineer - Professional", AWS,
         AWS_CERT + "certified-devops-engineer-professional/", 90, 300,
         {"aws": 4, "ci-cd": 4, "aws-cloudformation": 4, "observability": 3,
          "infrastructure-as-code": 3},
         prerequisites={"aws": 3}),
    cert("aws-security-specialty", "AWS Certified Security - Specialty", AWS,
         AWS_CERT + "certified-security-specialty/", 80, 300,
         {"cloud-security": 4, "aws": 4, "identity-and-access-management": 3,
          "cryptography": 3},
         prerequisites={"aws": 3}),
    cert("aws-advanced-networking", "AWS Certified Advanced Networking - Specialty", AWS,
         AWS_CERT + "certified-advanced-networking-specialty/", 90, 300,
         {"cloud-networking": 4, "aws": 4, "routing-and-switching": 3, "dns": 3, "vpn": 3},
         prerequisites={"aws": 3, "networking": 3}),
    cert("aws-ml-specialty", "AWS Certified Machine Learning - Specialty", AWS,
         AWS_CERT + "certified-machine-learning-specialty/", 90, 300,
         {"machine-learning": 4, "aws": 3, "deep-learning": 3},
         prerequisites={"machine-learning": 2, "python": 2}),
    cert("aws-data-analytics-specialty", "AWS Certified Data Analytics - Specialty", AWS,
         AWS_CERT + "certified-data-analytics-specialty/", 80, 300,
         {"aws": 3, "big-data": 3, "redshift": 3, "kafka": 2}, active=False,
         description="Retired by AWS in April 2024; kept so earlier completions stay valid."),
    cert("aws-database-specialty", "AWS Certified Database - Specialty", AWS,
         AWS_CERT + "certified-database-specialty/", 80, 300,
         {"aws": 3, "database-administration": 3, "dynamodb": 3}, active=False,
         description="Retired by AWS in April 2024; kept so earlier completions stay valid."),
    course("aws-cloud-practitioner-essentials", "AWS Cloud Practitioner Essentials", AWS,
           "https://aws.amazon.com/training/digital/aws-cloud-practitioner-essentials/", 6, 0,
           {"aws": 1, "cloud-computing": 2}),
    course("architecting-on-aws", "Architecting on AWS", AWS,
           "https://aws.amazon.com/training/classroom/architecting-on-aws/", 24, 2025,
           {"aws": 3, "cloud-architecture": 3, "cloud-networking": 2},
           modality="instructor_led", prerequisites={"aws": 1}),
    # --- Microsoft
    cert("az-900", "Microsoft Certified: Azure Fundamentals (AZ-900)", MS,
         MS_CERT + "azure-fundamentals/", 15, 99, {"azure": 2, "cloud-computing": 2},
         valid_months=None),
    cert("az-104", "Microsoft Certified: Azure Administrator Associate (AZ-104)", MS,
         MS_CERT + "azure-administrator/", 60, 165,
         {"azure": 3, "cloud-networking": 2, "identity-and-access-management": 2,
          "virtualization": 2},
         valid_months=12),
    cert("az-204", "Microsoft Certified: Azure Developer Associate (AZ-204)", MS,
         MS_CERT + "azure-developer/", 60, 165, {"azure": 3, "serverless": 3, "c-sharp": 2},
         valid_months=12),
    cert("az-305", "Microsoft Certified: Azure Solutions Architect Expert (AZ-305)", MS,
         MS_CERT + "azure-solutions-architect/", 80, 165,
         {"azure": 4, "cloud-architecture": 4, "cloud-security": 3, "backup-and-recovery": 3},
         valid_months=12, requires=("az-104",)),
    cert("az-500", "Microsoft Certified: Azure Security Engineer Associate (AZ-500)", MS,
         MS_CERT + "azure-security-engineer/", 60, 165,
         {"azure": 3, "cloud-security": 3, "identity-and-access-management": 3},
         valid_months=12, prerequisites={"azure": 2}),
    cert("az-400", "Microsoft Certified: DevOps Engineer Expert (AZ-400)", MS,
         MS_CERT + "devops-engineer/", 70, 165,
         {"azure": 4, "ci-cd": 4, "git": 3, "devops": 3, "infrastructure-as-code": 3},
         valid_months=12, prerequisites={"azure": 3}),
    cert("sc-900", "Microsoft Certified: Security, Compliance, and Identity Fundamentals", MS,
         MS_CERT + "security-compliance-and-identity-fundamentals/", 12, 99,
         {"security": 1, "identity-and-access-management": 2, "security-compliance": 1},
         valid_months=None),
    cert("sc-200", "Microsoft Certified: Security Operations Analyst Associate (SC-200)", MS,
         MS_CERT + "security-operations-analyst/", 50, 165,
         {"security-operations": 3, "incident-response": 3, "azure": 2},
         valid_months=12),
    cert("sc-300", "Microsoft Certified: Identity and Access Administrator Associate (SC-300)",
         MS, MS_CERT + "identity-and-access-administrator/", 45, 165,
         {"identity-and-access-management": 4, "active-directory": 3, "saml": 3},
         valid_months=12),
    cert("dp-900", "Microsoft Certified: Azure Data Fundamentals (DP-900)", MS,
         MS_CERT + "azure-data-fundamentals/", 12, 99,
         {"sql": 1, "nosql": 1, "data-warehousing": 1, "azure": 1}, valid_months=None),
    cert("dp-203", "Microsoft Certified: Azure Data Engineer Associate (DP-203)", MS,
         MS_CERT + "azure-data-engineer/", 60, 165,
         {"azure": 3, "data-engineering": 3, "spark": 2, "etl": 3}, valid_months=12,
         active=False,
         description="Retired by Microsoft in March 2025 in favour of the Fabric data "
                     "engineer exam (DP-700)."),
    cert("dp-700", "Microsoft Certified: Fabric Data Engineer Associate (DP-700)", MS,
         MS_CERT + "fabric-data-engineer-associate/", 60, 165,
         {"data-engineering": 3, "etl": 3, "spark": 3, "sql": 3}, valid_months=12),
    cert("dp-600", "Microsoft Certified: Fabric Analytics Engineer Associate (DP-600)", MS,
         MS_CERT + "fabric-analytics-engineer-associate/", 55, 165,
         {"data-warehousing": 3, "power-bi": 3, "sql": 3, "data-modeling": 3},
         valid_months=12),
    cert("dp-300", "Microsoft Certified: Azure Database Administrator Associate (DP-300)", MS,
         MS_CERT + "azure-database-administrator-associate/", 60, 165,
         {"sql-server": 4, "database-administration": 4, "t-sql": 3, "azure": 2,
          "backup-and-recovery": 3},
         valid_months=12, prerequisites={"sql": 2}),
    cert("pl-300", "Microsoft Certified: Power BI Data Analyst Associate (PL-300)", MS,
         MS_CERT + "power-bi-data-analyst-associate/", 45, 165,
         {"power-bi": 3, "data-visualization": 3, "data-analysis": 3, "data-modeling": 2},
         valid_months=12),
    cert("dp-100", "Microsoft Certified: Azure Data Scientist Associate (DP-100)", MS,
         MS_CERT + "azure-data-scientist/", 60, 165,
         {"machine-learning": 3, "azure": 2, "python": 3}, valid_months=12,
         prerequisites={"python": 2}),
    cert("ai-900", "Microsoft Certified: Azure AI Fundamentals (AI-900)", MS,
         MS_CERT + "azure-ai-fundamentals/", 12, 99,
         {"artificial-intelligence": 2, "machine-learning": 1}, valid_months=None),
    course("ms-learn-az-900-de", "Microsoft Azure Fundamentals (Lernpfad auf Deutsch)", MS,
           "https://learn.microsoft.com/de-de/training/", 10, 0,
           {"azure": 1, "cloud-computing": 1}, language="de"),
    # --- Google Cloud
    cert("gcp-cdl", "Google Cloud Certified Cloud Digital Leader", GCP,
         GCP_CERT + "cloud-digital-leader", 15, 99, {"gcp": 2, "cloud-computing": 2}),
    cert("gcp-ace", "Google Cloud Certified Associate Cloud Engineer", GCP,
         GCP_CERT + "cloud-engineer", 50, 125, {"gcp": 3, "cloud-computing": 3, "kubernetes": 2}),
    cert("gcp-pca", "Google Cloud Certified Professional Cloud Architect", GCP,
         GCP_CERT + "cloud-architect", 80, 200,
         {"gcp": 4, "cloud-architecture": 4, "system-design": 3}, valid_months=24,
         prerequisites={"gcp": 3}),
    cert("gcp-data-engineer", "Google Cloud Certified Professional Data Engineer", GCP,
         GCP_CERT + "data-engineer", 70, 200,
         {"gcp": 3, "data-engineering": 4, "big-data": 3, "etl": 3}, valid_months=24),
    cert("gcp-devops-engineer", "Google Cloud Certified Professional Cloud DevOps Engineer", GCP,
         GCP_CERT + "cloud-devops-engineer", 70, 200,
         {"gcp": 3, "site-reliability-engineering": 4, "ci-cd": 3, "observability": 4},
         valid_months=24),
    cert("gcp-ml-engineer", "Google Cloud Certified Professional Machine Learning Engineer", GCP,
         GCP_CERT + "machine-learning-engineer", 80, 200,
         {"machine-learning": 4, "gcp": 3, "tensorflow": 3}, valid_months=24,
         prerequisites={"machine-learning": 2}),
    # --- Kubernetes, Linux Foundation, HashiCorp
    cert("kcna", "Kubernetes and Cloud Native Associate (KCNA)", LF,
         LF_CERT + "kubernetes-cloud-native-associate/", 25, 250,
         {"kubernetes": 2, "docker": 2, "cloud-computing": 2}, valid_months=24),
    cert("cka", "Certified Kubernetes Administrator (CKA)", LF,
         LF_CERT + "certified-kubernetes-administrator-cka/", 70, 445,
         {"kubernetes": 4, "docker": 3, "linux": 3, "troubleshooting": 3}, valid_months=24,
         prerequisites={"linux": 2}),
    cert("ckad", "Certified Kubernetes Application Developer (CKAD)", LF,
         LF_CERT + "certified-kubernetes-application-developer-ckad/", 55, 445,
         {"kubernetes": 3, "docker": 3, "helm": 2}, valid_months=24),
    cert("cks", "Certified Kubernetes Security Specialist (CKS)", LF,
         LF_CERT + "certified-kubernetes-security-specialist/", 70, 445,
         {"kubernetes": 4, "cloud-security": 3, "security": 3}, valid_months=24,
         requires=("cka",)),
    cert("lfcs", "Linux Foundation Certified System Administrator (LFCS)", LF,
         LF_CERT + "linux-foundation-certified-sysadmin-lfcs/", 60, 445,
         {"linux": 3, "bash": 3, "system-administration": 3}, valid_months=24),
    cert("prometheus-associate", "Prometheus Certified Associate (PCA)", LF,
         LF_CERT + "prometheus-certified-associate/", 30, 250,
         {"observability": 3, "kubernetes": 2}, valid_months=24),
    course("lfs101", "Introduction to Linux (LFS101)", LF,
           "https://training.linuxfoundation.org/training/introduction-to-linux/", 40, 0,
           {"linux": 2, "bash": 2, "operating-systems": 2}),
    course("lfs158", "Introduction to Kubernetes (LFS158)", LF,
           "https://training.linuxfoundation.org/training/introduction-to-kubernetes/", 15, 0,
           {"kubernetes": 2, "docker": 1}),
    course("lfs258", "Kubernetes Fundamentals (LFS258)", LF,
           "https://training.linuxfoundation.org/training/kubernetes-fundamentals/", 35, 299,
           {"kubernetes": 3, "docker": 2, "helm": 2}, prerequisites={"linux": 2}),
    course("udemy-cka", "Certified Kubernetes Administrator (CKA) with Practice Tests", "Udemy",
           "https://www.udemy.com/course/certified-kubernetes-administrator-with-practice-tests/",
           25, 20, {"kubernetes": 3, "docker": 2}),
    cert("terraform-associate", "HashiCorp Certified: Terraform Associate (003)", "HashiCorp",
         "https://developer.hashicorp.com/certifications/infrastructure-automation", 30, 70.5,
         {"terraform": 3, "infrastructure-as-code": 3}, valid_months=24),
    content("terraform-up-and-running", "Terraform: Up & Running, 3rd edition (Brikman)",
            "O'Reilly Media", "https://www.terraformupandrunning.com/", 25, 60,
            {"terraform": 3, "infrastructure-as-code": 3}),
    # --- CompTIA
    cert("comptia-a-plus", "CompTIA A+", COMPTIA, COMPTIA_CERT + "a", 120, 506,
         {"it-support": 3, "computers-and-electronics": 3, "troubleshooting": 3,
          "windows": 3, "operating-systems": 2, "networking": 2}),
    cert("comptia-network-plus", "CompTIA Network+ (N10-009)", COMPTIA,
         COMPTIA_CERT + "network", 90, 369,
         {"networking": 3, "tcp-ip": 3, "routing-and-switching": 2, "wireless-networking": 2,
          "dns": 2, "network-management": 2}),
    cert("comptia-network-plus-n10-008", "CompTIA Network+ (N10-008)", COMPTIA,
         COMPTIA_CERT + "network", 90, 358,
         {"networking": 3, "tcp-ip": 3, "routing-and-switching": 2}, active=False,
         description="The N10-008 exam retired in 2024; replaced by N10-009."),
    cert("comptia-security-plus", "CompTIA Security+ (SY0-701)", COMPTIA,
         COMPTIA_CERT + "security", 90, 404,
         {"security": 3, "cryptography": 2, "identity-and-access-management": 2,
          "risk-management": 2, "public-safety-and-security": 2, "vulnerability-management": 2}),
    cert("comptia-cysa-plus", "CompTIA CySA+", COMPTIA, COMPTIA_CERT + "cybersecurity-analyst",
         90, 404,
         {"security-operations": 3, "vulnerability-management": 3, "incident-response": 3,
          "security": 3},
         prerequisites={"security": 2}),
    cert("comptia-pentest-plus", "CompTIA PenTest+", COMPTIA, COMPTIA_CERT + "pentest", 90, 404,
         {"penetration-testing": 3, "nmap": 3, "metasploit": 2, "vulnerability-management": 3,
          "kali-linux": 2},
         prerequisites={"security": 2}),
    cert("comptia-securityx", "CompTIA SecurityX (formerly CASP+)", COMPTIA,
         COMPTIA_CERT + "securityx", 120, 509,
         {"security": 4, "security-compliance": 3, "cloud-security": 3, "risk-management": 3,
          "cryptography": 3},
         prerequisites={"security": 3}),
    cert("comptia-cloud-plus", "CompTIA Cloud+", COMPTIA, COMPTIA_CERT + "cloud", 70, 369,
         {"cloud-computing": 3, "virtualization": 3, "cloud-security": 2, "troubleshooting": 3}),
    cert("comptia-linux-plus", "CompTIA Linux+", COMPTIA, COMPTIA_CERT + "linux", 80, 369,
         {"linux": 3, "bash": 3, "operating-systems": 3, "system-administration": 3}),
    cert("comptia-data-plus", "CompTIA Data+", COMPTIA, COMPTIA_CERT + "data", 50, 253,
         {"data-analysis": 3, "data-quality": 3, "data-visualization": 2, "statistics": 2}),
    # --- ISC2, ISACA and other security certifications
    cert("isc2-cc", "ISC2 Certified in Cybersecurity (CC)", ISC2, ISC2_CERT + "cc", 20, 199,
         {"security": 2, "incident-response": 1, "public-safety-and-security": 1,
          "networking": 1},
         description="Entry-level cybersecurity certification; ISC2's One Million Certified in "
                     "Cybersecurity programme offers free training and exam vouchers."),
    cert("cissp", "ISC2 CISSP - Certified Information Systems Security Professional", ISC2,
         ISC2_CERT + "cissp", 150, 749,
         {"security": 4, "security-compliance": 4, "risk-management": 4,
          "public-safety-and-security": 3, "identity-and-access-management": 3,
          "cryptography": 3},
         prerequisites={"security": 3}),
    cert("ccsp", "ISC2 CCSP - Certified Cloud Security Professional", ISC2, ISC2_CERT + "ccsp",
         120, 599,
         {"cloud-security": 4, "security-compliance": 3, "data-protection": 3,
          "cloud-architecture": 3},
         prerequisites={"security": 3, "cloud-computing": 2}),
    cert("cism", "ISACA Certified Information Security Manager (CISM)", "ISACA",
         "https://www.isaca.org/credentialing/cism", 120, 760,
         {"security-compliance": 4, "risk-management": 4, "incident-response": 3,
          "administration-and-management": 3},
         prerequisites={"security": 3}),
    cert("cisa", "ISACA Certified Information Systems Auditor (CISA)", "ISACA",
         "https://www.isaca.org/credentialing/cisa", 120, 760,
         {"security-compliance": 4, "risk-management": 3, "quality-control-analysis": 3}),
    cert("ceh", "EC-Council Certified Ethical Hacker (CEH)", "EC-Council",
         "https://www.eccouncil.org/train-certify/certified-ethical-hacker-ceh/", 80, 1199,
         {"penetration-testing": 3, "nmap": 3, "metasploit": 3, "wireshark": 2,
          "kali-linux": 3}),
    cert("oscp", "OffSec Certified Professional (OSCP+) with PEN-200", "OffSec",
         "https://www.offsec.com/courses/pen-200/", 250, 1749,
         {"penetration-testing": 4, "kali-linux": 4, "metasploit": 4, "nmap": 4, "bash": 3,
          "python": 3},
         prerequisites={"linux": 2, "networking": 2}),
    cert("gsec", "GIAC Security Essentials (GSEC)", "GIAC",
         "https://www.giac.org/certifications/security-essentials-gsec/", 60, 979,
         {"security": 3, "networking": 3, "cryptography": 3}, valid_months=48),
    cert("gcih", "GIAC Certified Incident Handler (GCIH)", "GIAC",
         "https://www.giac.org/certifications/certified-incident-handler-gcih/", 60, 979,
         {"incident-response": 4, "security-operations": 3, "mitre-attack": 3},
         valid_months=48, prerequisites={"security": 2}),
    cert("gcfa", "GIAC Certified Forensic Analyst (GCFA)", "GIAC",
         "https://www.giac.org/certifications/certified-forensic-analyst-gcfa/", 60, 979,
         {"digital-forensics": 4, "incident-response": 4, "operating-systems": 3},
         valid_months=48, prerequisites={"security": 3}),
    cert("pcnse", "Palo Alto Networks Certified Network Security Engineer (PCNSE)",
         "Palo Alto Networks",
         "https://www.paloaltonetworks.com/services/education/certification", 60, 175,
         {"firewalls": 4, "vpn": 3, "security": 2}, valid_months=24),
    cert("splunk-core-user", "Splunk Core Certified User", "Splunk",
         "https://www.splunk.com/en_us/training/certification-track/splunk-core-certified-user.html",
         20, 130, {"splunk": 2, "security-operations": 1}),
    cert("splunk-power-user", "Splunk Core Certified Power User", "Splunk",
         "https://www.splunk.com/en_us/training/certification-track/"
         "splunk-core-certified-power-user.html",
         35, 130, {"splunk": 3, "security-operations": 2}, requires=("splunk-core-user",)),
    course("sans-sec504", "SANS SEC504: Hacker Tools, Techniques, and Incident Handling",
           "SANS Institute",
           "https://www.sans.org/cyber-security-courses/hacker-techniques-incident-handling/", 46,
           8780, {"incident-response": 4, "penetration-testing": 3, "security-operations": 3},
           modality="instructor_led", prerequisites={"security": 2}),
    course("sans-for508", "SANS FOR508: Advanced Incident Response, Threat Hunting, and Digital "
           "Forensics", "SANS Institute",
           "https://www.sans.org/cyber-security-courses/"
           "advanced-incident-response-threat-hunting-training/",
           46, 8780, {"digital-forensics": 4, "incident-response": 4, "mitre-attack": 3},
           modality="instructor_led", prerequisites={"incident-response": 2}),
    course("google-cybersecurity", "Google Cybersecurity Professional Certificate", COURSERA,
           "https://www.coursera.org/professional-certificates/google-cybersecurity", 170, 294,
           {"security": 2, "linux": 2, "python": 2, "sql": 2, "security-operations": 2,
            "splunk": 1}),
    course("cs50-cybersecurity", "CS50's Introduction to Cybersecurity", CS50,
           "https://cs50.harvard.edu/cybersecurity/", 25, 0,
           {"security": 2, "cryptography": 2, "data-protection": 2}),
    course("portswigger-academy", "Web Security Academy", "PortSwigger",
           "https://portswigger.net/web-security", 60, 0,
           {"application-security": 3, "burp-suite": 3, "penetration-testing": 2}),
    course("tryhackme-soc1", "TryHackMe SOC Level 1 path", "TryHackMe",
           "https://tryhackme.com/path/outline/soclevel1", 60, 42,
           {"security-operations": 3, "splunk": 2, "wireshark": 2, "mitre-attack": 2}),
    content("practical-packet-analysis", "Practical Packet Analysis, 3rd edition (Sanders)",
            "No Starch Press", "https://nostarch.com/packetanalysis3", 20, 40,
            {"wireshark": 3, "tcp-ip": 3, "network-management": 2}),
    content("owasp-top-ten", "OWASP Top 10", "OWASP Foundation",
            "https://owasp.org/www-project-top-ten/", 6, 0, {"application-security": 2}),
    # --- Cisco, Red Hat, networking and systems
    cert("ccna", "Cisco Certified Network Associate (CCNA)", "Cisco",
         "https://www.cisco.com/site/us/en/learn/training-certifications/certifications/"
         "enterprise/ccna/index.html",
         120, 300,
         {"networking": 3, "tcp-ip": 3, "routing-and-switching": 3, "cisco-networking": 3,
          "wireless-networking": 2}),
    cert("ccnp-enterprise", "Cisco Certified Network Professional (CCNP) Enterprise", "Cisco",
         "https://www.cisco.com/site/us/en/learn/training-certifications/certifications/"
         "enterprise/ccnp-enterprise/index.html",
         200, 700,
         {"networking": 4, "routing-and-switching": 4, "tcp-ip": 4, "cisco-networking": 4,
          "network-management": 3, "wireless-networking": 3},
         prerequisites={"networking": 3}),
    cert("ccnp-security", "Cisco Certified Network Professional (CCNP) Security", "Cisco",
         "https://www.cisco.com/site/us/en/learn/training-certifications/certifications/"
         "security/ccnp-security/index.html",
         180, 700, {"firewalls": 4, "vpn": 4, "security": 3, "cisco-networking": 3},
         prerequisites={"networking": 3}),
    cert("cwna", "Certified Wireless Network Administrator (CWNA)", "CWNP",
         "https://www.cwnp.com/certifications/cwna", 60, 275,
         {"wireless-networking": 3, "networking": 2}),
    cert("rhcsa", "Red Hat Certified System Administrator (RHCSA)", "Red Hat",
         "https://www.redhat.com/en/services/certification/rhcsa", 80, 500,
         {"linux": 3, "system-administration": 3, "bash": 2, "troubleshooting": 3}),
    cert("rhce", "Red Hat Certified Engineer (RHCE)", "Red Hat",
         "https://www.redhat.com/en/services/certification/rhce", 80, 500,
         {"ansible": 4, "linux": 4, "system-administration": 4, "infrastructure-as-code": 3},
         requires=("rhcsa",)),
    cert("red-hat-openshift-admin", "Red Hat Certified OpenShift Administrator (EX280)",
         "Red Hat",
         "https://www.redhat.com/en/services/training/"
         "ex280-red-hat-certified-specialist-in-openshift-administration-exam",
         60, 500, {"openshift": 4, "kubernetes": 3}, prerequisites={"linux": 3}),
    cert("vcp-dcv", "VMware Certified Professional - Data Center Virtualization", "Broadcom",
         "https://www.broadcom.com/support/education/vmware/certification", 60, 250,
         {"virtualization": 4, "backup-and-recovery": 2, "system-administration": 3},
         valid_months=None),
    # --- ITSM, project management and agile
    cert("itil4-foundation", "ITIL 4 Foundation", "PeopleCert",
         "https://www.peoplecert.org/", 20, 500, {"itsm": 3, "customer-and-personal-service": 2}),
    cert("servicenow-csa", "ServiceNow Certified System Administrator", "ServiceNow",
         "https://www.servicenow.com/", 40, 300, {"servicenow": 3, "itsm": 2}, valid_months=12),
    cert("pmp", "Project Management Professional (PMP)", "PMI",
         "https://www.pmi.org/certifications/project-management-pmp", 120, 575,
         {"project-management": 4, "stakeholder-management": 3, "risk-management": 3,
          "management-of-financial-resources": 3, "administration-and-management": 4,
          "agile": 3},
         prerequisites={"project-management": 2}),
    cert("capm", "Certified Associate in Project Management (CAPM)", "PMI",
         "https://www.pmi.org/certifications/certified-associate-capm", 40, 300,
         {"project-management": 3, "agile": 2, "stakeholder-management": 2}),
    cert("pmi-acp", "PMI Agile Certified Practitioner (PMI-ACP)", "PMI",
         "https://www.pmi.org/certifications/agile-acp", 60, 495,
         {"agile": 4, "scrum": 3, "kanban": 3}, prerequisites={"agile": 2}),
    cert("prince2-foundation", "PRINCE2 7 Foundation", "PeopleCert",
         "https://www.peoplecert.org/", 25, 450, {"prince2": 2, "project-management": 2}),
    cert("prince2-practitioner", "PRINCE2 7 Practitioner", "PeopleCert",
         "https://www.peoplecert.org/", 30, 550,
         {"prince2": 4, "project-management": 3, "risk-management": 2},
         requires=("prince2-foundation",)),
    cert("psm-1", "Professional Scrum Master I (PSM I)", "Scrum.org",
         "https://www.scrum.org/assessments/professional-scrum-master-i-certification", 20, 200,
         {"scrum": 3, "agile": 3}, valid_months=None),
    cert("psm-2", "Professional Scrum Master II (PSM II)", "Scrum.org",
         "https://www.scrum.org/assessments/professional-scrum-master-ii-certification", 40, 250,
         {"scrum": 4, "agile": 4, "coordination": 3}, valid_months=None, requires=("psm-1",)),
    cert("csm", "Certified ScrumMaster (CSM)", "Scrum Alliance",
         "https://www.scrumalliance.org/get-certified/scrum-master-track/certified-scrummaster",
         16, 995, {"scrum": 3, "agile": 3}, modality="instructor_led", valid_months=24),
    cert("safe-agilist", "SAFe Agilist (Leading SAFe)", "Scaled Agile",
         "https://scaledagile.com/training/leading-safe/", 16, 895,
         {"scaled-agile": 3, "agile": 3}, modality="instructor_led", valid_months=12),
    cert("cbap", "IIBA Certified Business Analysis Professional (CBAP)", "IIBA",
         "https://www.iiba.org/business-analysis-certifications/cbap/", 100, 505,
         {"business-analysis": 4, "requirements-engineering": 4, "stakeholder-management": 3,
          "process-modeling": 3},
         prerequisites={"business-analysis": 2}),
    cert("togaf-foundation", "TOGAF Enterprise Architecture Foundation", "The Open Group",
         "https://www.opengroup.org/certifications/togaf", 30, 360,
         {"enterprise-architecture": 3, "software-architecture": 2}, valid_months=None),
    course("google-project-management", "Google Project Management Professional Certificate",
           COURSERA, "https://www.coursera.org/professional-certificates/google-project-management",
           180, 294,
           {"project-management": 3, "agile": 2, "scrum": 2, "stakeholder-management": 2,
            "risk-management": 2}),
    course("agile-with-jira", "Agile with Atlassian Jira", COURSERA,
           "https://www.coursera.org/learn/agile-atlassian-jira", 12, 49,
           {"jira": 3, "agile": 2, "kanban": 2}),
    course("atlassian-university-confluence", "Confluence Fundamentals", "Atlassian University",
           "https://university.atlassian.com/", 4, 0, {"confluence": 3}),
    course("negotiation", "Successful Negotiation: Essential Strategies and Skills", COURSERA,
           "https://www.coursera.org/learn/negotiation-skills", 20, 49,
           {"negotiation": 3, "persuasion": 2}),
    content("scrum-guide", "The Scrum Guide", "Scrum.org and Scrum Inc.",
            "https://scrumguides.org/", 2, 0, {"scrum": 1, "agile": 1}),
    content("devops-handbook", "The DevOps Handbook, 2nd edition", "IT Revolution",
            "https://itrevolution.com/product/the-devops-handbook-second-edition/", 14, 35,
            {"devops": 3, "ci-cd": 3, "observability": 2}),
    content("sre-book", "Site Reliability Engineering (the SRE book)", "Google",
            "https://sre.google/books/", 30, 0,
            {"site-reliability-engineering": 3, "observability": 3, "operations-monitoring": 3}),
]
# fmt: on

# fmt: off
ITEMS += [
    # --- data: databases, engineering, analytics
    cert("oracle-sql-associate", "Oracle Database SQL Certified Associate (1Z0-071)", "Oracle",
         "https://education.oracle.com/", 50, 245, {"sql": 3, "oracle-database": 2, "pl-sql": 2},
         valid_months=None),
    cert("oracle-dba-professional", "Oracle Database Administration Certified Professional",
         "Oracle", "https://education.oracle.com/", 120, 490,
         {"oracle-database": 4, "database-administration": 4, "backup-and-recovery": 3,
          "pl-sql": 3},
         valid_months=None, prerequisites={"sql": 3}),
    cert("oci-foundations", "Oracle Cloud Infrastructure Foundations Associate", "Oracle",
         "https://education.oracle.com/", 10, 0, {"oci": 2, "cloud-computing": 2},
         valid_months=24),
    cert("oracle-java-17", "Oracle Certified Professional: Java SE 17 Developer (1Z0-829)",
         "Oracle", "https://education.oracle.com/", 100, 245,
         {"java": 4, "object-oriented-programming": 3}, valid_months=None,
         prerequisites={"java": 2}),
    cert("databricks-de-associate", "Databricks Certified Data Engineer Associate", "Databricks",
         "https://www.databricks.com/learn/certification/data-engineer-associate", 40, 200,
         {"databricks": 3, "spark": 3, "data-engineering": 3, "sql": 3}, valid_months=24),
    cert("databricks-de-professional", "Databricks Certified Data Engineer Professional",
         "Databricks", "https://www.databricks.com/learn/certification/data-engineer-professional",
         60, 200, {"databricks": 4, "spark": 4, "data-engineering": 4}, valid_months=24,
         requires=("databricks-de-associate",)),
    cert("databricks-ml-associate", "Databricks Certified Machine Learning Associate",
         "Databricks",
         "https://www.databricks.com/learn/certification/machine-learning-associate", 40, 200,
         {"machine-learning": 3, "databricks": 3, "spark": 2}, valid_months=24),
    cert("snowpro-core", "SnowPro Core Certification", "Snowflake",
         "https://learn.snowflake.com/en/certifications/snowpro-core/", 40, 175,
         {"snowflake": 3, "data-warehousing": 3, "sql": 3}, valid_months=24),
    cert("snowpro-advanced-de", "SnowPro Advanced: Data Engineer", "Snowflake",
         "https://learn.snowflake.com/en/certifications/", 60, 375,
         {"snowflake": 4, "data-engineering": 4, "etl": 4}, valid_months=24,
         requires=("snowpro-core",)),
    cert("mongodb-associate-developer", "MongoDB Associate Developer", "MongoDB",
         "https://learn.mongodb.com/pages/mongodb-associate-developer-exam", 30, 150,
         {"mongodb": 3, "nosql": 3}, valid_months=None),
    cert("confluent-ccdak", "Confluent Certified Developer for Apache Kafka", "Confluent",
         "https://www.confluent.io/certification/", 40, 150,
         {"kafka": 3, "data-engineering": 2}, valid_months=24),
    cert("tableau-desktop-specialist", "Tableau Desktop Specialist", "Tableau",
         "https://www.tableau.com/learn/certification/desktop-specialist", 20, 75,
         {"tableau": 2, "data-visualization": 2}, valid_months=None),
    cert("tableau-data-analyst", "Tableau Certified Data Analyst", "Tableau",
         "https://www.tableau.com/learn/certification/data-analyst", 45, 200,
         {"tableau": 3, "data-visualization": 3, "data-analysis": 3}, valid_months=24),
    cert("tensorflow-developer", "TensorFlow Developer Certificate", "Google",
         "https://www.tensorflow.org/certificate", 60, 100,
         {"tensorflow": 3, "deep-learning": 3}, active=False,
         description="Google closed the TensorFlow Developer Certificate programme in 2024."),
    course("google-data-analytics", "Google Data Analytics Professional Certificate", COURSERA,
           "https://www.coursera.org/professional-certificates/google-data-analytics", 180, 294,
           {"data-analysis": 3, "sql": 2, "tableau": 2, "r": 2, "excel": 2,
            "data-visualization": 2}),
    course("ml-specialization", "Machine Learning Specialization (DeepLearning.AI, Stanford)",
           COURSERA, "https://www.coursera.org/specializations/machine-learning-introduction",
           90, 147,
           {"machine-learning": 3, "numpy": 2, "scikit-learn": 2, "deep-learning": 2},
           prerequisites={"python": 2}),
    course("deep-learning-specialization", "Deep Learning Specialization (DeepLearning.AI)",
           COURSERA, "https://www.coursera.org/specializations/deep-learning", 120, 245,
           {"deep-learning": 3, "tensorflow": 3, "machine-learning": 3},
           prerequisites={"machine-learning": 2, "python": 2}),
    course("math-for-ml", "Mathematics for Machine Learning (Imperial College London)",
           COURSERA, "https://www.coursera.org/specializations/mathematics-machine-learning",
           90, 196, {"mathematics": 3, "statistics": 2, "machine-learning": 1}),
    course("statistics-with-python", "Statistics with Python (University of Michigan)",
           COURSERA, "https://www.coursera.org/specializations/statistics-with-python", 80, 196,
           {"statistics": 3, "python": 2, "data-analysis": 2}),
    course("fastai", "Practical Deep Learning for Coders", "fast.ai", "https://course.fast.ai/",
           60, 0, {"deep-learning": 3, "pytorch": 3, "machine-learning": 2},
           prerequisites={"python": 2}),
    course("kaggle-intro-ml", "Intro to Machine Learning", KAGGLE,
           "https://www.kaggle.com/learn/intro-to-machine-learning", 3, 0,
           {"machine-learning": 1, "scikit-learn": 1}),
    course("kaggle-pandas", "Pandas", KAGGLE, "https://www.kaggle.com/learn/pandas", 4, 0,
           {"pandas": 2}),
    course("cs50-sql", "CS50's Introduction to Databases with SQL", CS50,
           "https://cs50.harvard.edu/sql/", 30, 0,
           {"sql": 2, "data-modeling": 2, "postgresql": 1, "mysql": 1}),
    cert("mos-associate", "Microsoft Office Specialist: Associate (Microsoft 365 Apps)", MS,
         "https://certiport.pearsonvue.com/Certifications/Microsoft/MOS/Overview", 40, 300,
         {"microsoft-office": 3, "excel": 3}, valid_months=None,
         description="Three Certiport exams (Word, Excel, PowerPoint or Outlook) earn the "
                     "associate certification."),
    course("excel-skills-for-business", "Excel Skills for Business (Macquarie University)",
           COURSERA, "https://www.coursera.org/specializations/excel", 70, 147,
           {"excel": 3, "data-analysis": 2}),
    course("databricks-data-engineering", "Data Engineering with Databricks", "Databricks",
           "https://www.databricks.com/learn/training/home", 12, 0,
           {"databricks": 2, "spark": 2, "data-engineering": 2}),
    course("dbt-fundamentals", "dbt Fundamentals", "dbt Labs",
           "https://learn.getdbt.com/", 6, 0, {"etl": 2, "data-modeling": 2, "sql": 2}),
    course("mysql-for-dbas", "MySQL for Database Administrators", "Oracle University",
           "https://education.oracle.com/", 35, 3200,
           {"mysql": 3, "database-administration": 3}, modality="instructor_led",
           prerequisites={"sql": 2}),
    course("power-bi-learning-path", "Get started with Microsoft data analytics (Power BI)", MS,
           "https://learn.microsoft.com/en-us/training/", 12, 0,
           {"power-bi": 2, "data-visualization": 2}),
    content("ddia", "Designing Data-Intensive Applications (Kleppmann)", "O'Reilly Media",
            "https://dataintensive.net/", 40, 60,
            {"system-design": 3, "nosql": 3, "data-modeling": 3, "kafka": 2,
             "data-engineering": 3}),
    content("python-for-data-analysis", "Python for Data Analysis, 3rd edition (McKinney)",
            "O'Reilly Media", "https://wesmckinney.com/book/", 30, 0,
            {"pandas": 3, "numpy": 3, "python": 3}),
    content("data-warehouse-toolkit", "The Data Warehouse Toolkit, 3rd edition (Kimball)",
            "Wiley", "https://www.kimballgroup.com/", 35, 60,
            {"data-warehousing": 3, "data-modeling": 3}),
    # --- programming and software engineering
    cert("pcap", "PCAP - Certified Associate in Python Programming", "Python Institute",
         "https://pythoninstitute.org/pcap", 60, 295,
         {"python": 3, "object-oriented-programming": 3, "programming": 3}, valid_months=None),
    cert("github-actions", "GitHub Actions", "GitHub",
         "https://resources.github.com/learn/certifications/", 25, 99,
         {"github-actions": 3, "ci-cd": 3}, valid_months=36),
    cert("openjs-nodejs-developer", "OpenJS Node.js Application Developer (JSNAD)", LF,
         LF_CERT + "jsnad-openjs-node-js-application-developer/", 40, 395,
         {"node-js": 3, "javascript": 3}, valid_months=24),
    course("cs50x", "CS50's Introduction to Computer Science", CS50, "https://cs50.harvard.edu/x/",
           100, 0,
           {"programming": 3, "computers-and-electronics": 3, "algorithms": 2, "c": 2,
            "python": 2, "debugging": 3}),
    course("cs50p", "CS50's Introduction to Programming with Python", CS50,
           "https://cs50.harvard.edu/python/", 60, 0,
           {"python": 3, "programming": 2, "unit-testing": 2, "debugging": 2}),
    course("cs50w", "CS50's Web Programming with Python and JavaScript", CS50,
           "https://cs50.harvard.edu/web/", 80, 0,
           {"django": 3, "javascript": 3, "html": 3, "css": 2, "sql": 2, "git": 2},
           prerequisites={"programming": 2}),
    course("cs50-ai", "CS50's Introduction to Artificial Intelligence with Python", CS50,
           "https://cs50.harvard.edu/ai/", 70, 0,
           {"artificial-intelligence": 3, "machine-learning": 2, "algorithms": 3},
           prerequisites={"python": 2}),
    course("complete-python-bootcamp", "The Complete Python Bootcamp From Zero to Hero in Python",
           "Udemy", "https://www.udemy.com/course/complete-python-bootcamp/", 22, 20,
           {"python": 2, "object-oriented-programming": 2}),
    course("algorithms-specialization", "Algorithms Specialization (Stanford University)",
           COURSERA, "https://www.coursera.org/specializations/algorithms", 120, 196,
           {"algorithms": 3, "mathematics": 2}, prerequisites={"programming": 2}),
    course("software-design-architecture", "Software Design and Architecture (University of "
           "Alberta)", COURSERA,
           "https://www.coursera.org/specializations/software-design-architecture", 100, 196,
           {"software-architecture": 3, "design-patterns": 3, "uml": 3,
            "object-oriented-programming": 3, "design": 3},
           prerequisites={"programming": 2}),
    course("git-and-github", "Introduction to Git and GitHub (Google)", COURSERA,
           "https://www.coursera.org/learn/introduction-git-github", 15, 49, {"git": 3}),
    course("spring-academy", "Spring Academy: Building a REST API with Spring Boot", "Broadcom",
           "https://spring.academy/", 20, 0, {"spring": 3, "rest-apis": 3, "java": 3},
           prerequisites={"java": 2}),
    cert("foundational-csharp", "Foundational C# with Microsoft", "freeCodeCamp and Microsoft",
         "https://www.freecodecamp.org/learn/foundational-c-sharp-with-microsoft/", 35, 0,
         {"c-sharp": 3, "dotnet": 2, "programming": 2}, valid_months=None),
    course("microservices-patterns", "Microservices Patterns (Richardson)", "Manning",
           "https://microservices.io/book", 30, 50,
           {"microservices": 3, "software-architecture": 3, "systems-integration": 2}),
    # --- web
    course("freecodecamp-rwd", "Responsive Web Design", "freeCodeCamp",
           "https://www.freecodecamp.org/learn/", 300, 0,
           {"html": 3, "css": 3, "responsive-design": 3, "web-accessibility": 2}),
    course("odin-project", "The Odin Project: Full Stack JavaScript", "The Odin Project",
           "https://www.theodinproject.com/", 500, 0,
           {"javascript": 3, "node-js": 3, "react": 3, "html": 3, "css": 3, "git": 3}),
    course("meta-front-end", "Meta Front-End Developer Professional Certificate", COURSERA,
           "https://www.coursera.org/professional-certificates/meta-front-end-developer", 200, 343,
           {"react": 3, "javascript": 3, "html": 3, "css": 3, "ux-design": 2}),
    course("react-docs-learn", "Learn React (react.dev)", "Meta Open Source",
           "https://react.dev/learn", 15, 0, {"react": 2}),
    course("typescript-handbook", "The TypeScript Handbook", MS,
           "https://www.typescriptlang.org/docs/handbook/intro.html", 12, 0,
           {"typescript": 3}, prerequisites={"javascript": 2}),
    course("google-ux-design", "Google UX Design Professional Certificate", COURSERA,
           "https://www.coursera.org/professional-certificates/google-ux-design", 200, 294,
           {"ux-design": 3, "figma": 3, "web-accessibility": 2, "responsive-design": 2}),
    course("seo-specialization", "Search Engine Optimization (SEO) Specialization (UC Davis)",
           COURSERA, "https://www.coursera.org/specializations/seo", 90, 196,
           {"seo": 3, "web-analytics": 2}),
    course("google-analytics-academy", "Google Analytics for Beginners", "Google",
           "https://skillshop.withgoogle.com/", 6, 0, {"web-analytics": 3}),
    course("wordpress-learn", "Learn WordPress", "WordPress.org", "https://learn.wordpress.org/",
           20, 0, {"wordpress": 3, "web-content-management": 2, "php": 1}),
    course("drupal-at-your-fingertips", "Drupal at your Fingertips", "Drupal community",
           "https://www.drupal.org/docs", 25, 0, {"drupal": 3, "web-content-management": 3}),
    content("web-dev-learn-accessibility", "Learn Accessibility", "Google (web.dev)",
            "https://web.dev/learn/accessibility", 10, 0, {"web-accessibility": 3}),
    content("mdn-learn", "MDN Learn web development", "Mozilla",
            "https://developer.mozilla.org/en-US/docs/Learn", 40, 0,
            {"html": 2, "css": 2, "javascript": 2, "web-accessibility": 1}),
    cert("iaap-was", "IAAP Web Accessibility Specialist (WAS)", "IAAP",
         "https://www.accessibilityassociation.org/", 60, 510,
         {"web-accessibility": 4, "html": 3}),
    # --- quality engineering
    cert("istqb-ctfl", "ISTQB Certified Tester Foundation Level (CTFL) v4.0", "ISTQB",
         "https://www.istqb.org/certifications/certified-tester-foundation-level-ctfl-v4-0/", 30,
         229,
         {"software-testing": 3, "quality-assurance": 2, "quality-control-analysis": 3,
          "test-management": 2},
         valid_months=None),
    cert("istqb-ctal-ta", "ISTQB Advanced Level Test Analyst (CTAL-TA)", "ISTQB",
         "https://www.istqb.org/certifications/", 50, 249,
         {"software-testing": 4, "quality-assurance": 3, "requirements-engineering": 2},
         valid_months=None, requires=("istqb-ctfl",)),
    cert("istqb-ctal-tae", "ISTQB Advanced Level Test Automation Engineering (CTAL-TAE)",
         "ISTQB", "https://www.istqb.org/certifications/", 50, 249,
         {"test-automation": 4, "software-testing": 3, "ci-cd": 2}, valid_months=None,
         requires=("istqb-ctfl",)),
    cert("istqb-ctal-tm", "ISTQB Advanced Level Test Management (CTAL-TM)", "ISTQB",
         "https://www.istqb.org/certifications/", 50, 249,
         {"test-management": 4, "quality-assurance": 4, "risk-management": 2},
         valid_months=None, requires=("istqb-ctfl",)),
    course("software-testing-automation", "Software Testing and Automation Specialization "
           "(University of Minnesota)", COURSERA,
           "https://www.coursera.org/specializations/software-testing-automation", 80, 196,
           {"software-testing": 3, "test-automation": 3, "unit-testing": 3, "junit": 2}),
    course("tau-selenium", "Test Automation University: Selenium WebDriver", "Applitools",
           "https://testautomationu.applitools.com/", 12, 0,
           {"selenium": 3, "test-automation": 2}),
    course("postman-api-fundamentals", "Postman API Fundamentals Student Expert", "Postman",
           "https://academy.postman.com/", 8, 0, {"api-testing": 3, "rest-apis": 2}),
    course("k6-load-testing", "Load testing with Grafana k6", "Grafana Labs",
           "https://grafana.com/docs/k6/latest/", 10, 0, {"performance-testing": 3}),
    course("junit5-user-guide", "JUnit 5 User Guide", "JUnit team",
           "https://junit.org/junit5/docs/current/user-guide/", 6, 0,
           {"junit": 3, "unit-testing": 3}, prerequisites={"java": 2}),
    # --- professional skills
    course("learning-how-to-learn", "Learning How to Learn", COURSERA,
           "https://www.coursera.org/learn/learning-how-to-learn", 15, 0,
           {"active-learning": 3, "learning-strategies": 3}),
    course("google-tech-writing", "Technical Writing One and Two", "Google",
           "https://developers.google.com/tech-writing", 8, 0, {"writing": 3}),
    program("communication-program", "Professional communication program", 24, 600,
            {"speaking": 4, "writing": 4, "active-listening": 4, "reading-comprehension": 4,
             "english-language": 3}),
    program("business-english", "English for technical professionals", 40, 900,
            {"english-language": 4, "reading-comprehension": 3, "writing": 3},
            modality="instructor_led"),
    program("problem-solving-workshop", "Critical thinking and structured problem solving", 12,
            400,
            {"critical-thinking": 4, "complex-problem-solving": 4,
             "judgment-and-decision-making": 3},
            modality="instructor_led"),
    program("customer-service-excellence", "Customer service excellence for IT teams", 10, 250,
            {"customer-and-personal-service": 4, "active-listening": 3,
             "social-perceptiveness": 3}),
    program("systems-thinking-workshop", "Systems thinking for engineers", 16, 500,
            {"systems-analysis": 4, "systems-evaluation": 4, "operations-analysis": 3,
             "technology-design": 3},
            modality="instructor_led"),
    program("engineering-fundamentals", "Engineering fundamentals bootcamp", 80, 1500,
            {"computers-and-electronics": 4, "engineering-and-technology": 3,
             "programming": 3, "operating-systems": 3, "networking": 2}),
    program("new-manager-program", "New manager program", 40, 2500,
            {"management-of-personnel-resources": 3, "personnel-and-human-resources": 3,
             "administration-and-management": 3, "coordination": 3, "time-management": 3,
             "management-of-financial-resources": 2}),
    program("train-the-trainer", "Train the trainer", 16, 800,
            {"instructing": 4, "education-and-training": 4, "learning-strategies": 3,
             "speaking": 3},
            modality="instructor_led"),
    program("leadership-program", "Technical leadership program", 60, 4000,
            {"judgment-and-decision-making": 4, "management-of-personnel-resources": 4,
             "social-perceptiveness": 4, "persuasion": 3, "negotiation": 3,
             "stakeholder-management": 3},
            prerequisites={"management-of-personnel-resources": 2}),
    program("security-awareness", "Security awareness essentials", 2, 0,
            {"security": 1, "data-protection": 1}, modality="self_paced"),
    program("onboarding-engineering", "Engineering onboarding: tools and ways of working", 16, 0,
            {"git": 2, "jira": 2, "confluence": 2, "agile": 1, "microsoft-office": 2,
             "microsoft-365": 2},
            modality="self_paced"),
    # --- internal mentoring
    mentoring("mentoring-cloud-architecture",
              "Mentoring: cloud architecture with a principal engineer", 20,
              {"cloud-architecture": 4, "aws": 4, "azure": 3, "system-design": 4,
               "cloud-networking": 3},
              prerequisites={"cloud-computing": 2}),
    mentoring("mentoring-kubernetes-platform",
              "Mentoring: running the Kubernetes platform with the platform lead", 16,
              {"kubernetes": 4, "helm": 3, "observability": 3, "docker": 3},
              prerequisites={"kubernetes": 2}),
    mentoring("mentoring-security-operations",
              "Mentoring: security operations with the SOC lead", 16,
              {"security-operations": 4, "incident-response": 3, "splunk": 3,
               "mitre-attack": 3}),
    mentoring("mentoring-red-team", "Mentoring: penetration testing with the red team lead", 20,
              {"penetration-testing": 4, "application-security": 4, "burp-suite": 4},
              prerequisites={"penetration-testing": 2}),
    mentoring("mentoring-data-architecture",
              "Mentoring: data architecture with the principal data architect", 20,
              {"data-modeling": 5, "nosql": 4, "database-administration": 4,
               "data-warehousing": 4, "design": 3}),
    mentoring("mentoring-ml-production",
              "Mentoring: machine learning in production with a senior data scientist", 20,
              {"machine-learning": 4, "statistics": 4, "deep-learning": 3},
              prerequisites={"machine-learning": 2}),
    mentoring("mentoring-test-strategy", "Mentoring: test strategy with the QA chapter lead",
              12, {"test-management": 4, "quality-assurance": 4, "test-automation": 3}),
    mentoring("mentoring-frontend", "Mentoring: frontend architecture with a staff engineer",
              16, {"react": 4, "typescript": 4, "javascript": 4, "web-accessibility": 3}),
    mentoring("mentoring-project-leadership",
              "Mentoring: project leadership with a senior PMO manager", 16,
              {"project-management": 4, "stakeholder-management": 4, "risk-management": 3,
               "negotiation": 3, "coordination": 4}),
    mentoring("mentoring-engineering-leadership",
              "Mentoring: technical leadership with an engineering director", 16,
              {"judgment-and-decision-making": 4, "management-of-personnel-resources": 4,
               "social-perceptiveness": 3, "personnel-and-human-resources": 3}),
    mentoring("mentoring-systems-engineering",
              "Mentoring: systems engineering with a distinguished engineer", 24,
              {"computers-and-electronics": 5, "engineering-and-technology": 4,
               "systems-analysis": 4, "systems-evaluation": 4, "technology-design": 3}),
    mentoring("mentoring-network-design", "Mentoring: network design with a network architect",
              20, {"networking": 5, "routing-and-switching": 4, "tcp-ip": 4, "firewalls": 3},
              prerequisites={"networking": 3}),
    mentoring("mentoring-dba", "Mentoring: database performance with a senior DBA", 16,
              {"database-administration": 4, "sql": 4, "postgresql": 4, "sql-server": 3}),
    mentoring("mentoring-ux", "Mentoring: product design with the design lead", 16,
              {"ux-design": 4, "figma": 4, "web-accessibility": 3}),
    # --- internal on-the-job assignments
    assignment("assignment-terraform-migration", "Assignment: lead a Terraform migration", 80,
               {"terraform": 4, "infrastructure-as-code": 4, "aws": 3, "git": 3},
               prerequisites={"terraform": 2}),
    assignment("assignment-on-call", "Assignment: run the on-call rotation for a quarter", 60,
               {"operations-monitoring": 4, "troubleshooting": 4, "observability": 4,
                "site-reliability-engineering": 4, "monitoring": 3, "linux": 3},
               prerequisites={"linux": 2}),
    assignment("assignment-kubernetes-migration",
               "Assignment: migrate a service to Kubernetes", 80,
               {"kubernetes": 4, "docker": 4, "helm": 3, "ci-cd": 3},
               prerequisites={"kubernetes": 2, "docker": 2}),
    assignment("assignment-ci-pipeline",
               "Assignment: build a CI/CD pipeline with GitHub Actions", 40,
               {"ci-cd": 4, "github-actions": 4, "git": 3, "jenkins": 3}),
    assignment("assignment-postmortem", "Assignment: lead an incident post-mortem", 16,
               {"incident-response": 3, "writing": 4, "complex-problem-solving": 4,
                "critical-thinking": 4}),
    assignment("assignment-tabletop", "Assignment: run a tabletop incident-response exercise",
               24, {"incident-response": 4, "coordination": 4, "security": 3},
               prerequisites={"incident-response": 2}),
    assignment("assignment-internal-pentest",
               "Assignment: internal penetration test of a web application", 80,
               {"penetration-testing": 4, "application-security": 4, "burp-suite": 4,
                "nmap": 3},
               prerequisites={"penetration-testing": 3}),
    assignment("assignment-siem-use-case", "Assignment: deploy a SIEM detection use case", 40,
               {"security-operations": 4, "splunk": 4, "mitre-attack": 3}),
    assignment("assignment-vulnerability-programme",
               "Assignment: run the monthly vulnerability scanning programme", 60,
               {"vulnerability-management": 4, "nessus": 4, "risk-management": 3}),
    assignment("assignment-sso-rollout", "Assignment: roll out single sign-on for internal apps",
               60, {"saml": 4, "identity-and-access-management": 4, "active-directory": 4}),
    assignment("assignment-security-automation",
               "Assignment: automate security checks in Python", 60,
               {"python": 4, "security": 3, "ansible": 3, "bash": 3},
               prerequisites={"python": 3}),
    assignment("assignment-cloud-guardrails",
               "Assignment: build cloud guardrails for the landing zone", 80,
               {"cloud-security": 4, "terraform": 4, "azure": 4, "aws": 4,
                "security-compliance": 3},
               prerequisites={"cloud-security": 3}),
    assignment("assignment-branch-network", "Assignment: network refresh of a branch office",
               80,
               {"networking": 4, "routing-and-switching": 4, "firewalls": 4,
                "wireless-networking": 4, "network-management": 3},
               prerequisites={"networking": 3}),
    assignment("assignment-windows-automation",
               "Assignment: automate Windows server builds with PowerShell", 40,
               {"powershell": 4, "windows-server": 4, "active-directory": 3}),
    assignment("assignment-backup-restore-test",
               "Assignment: run the quarterly backup restore test", 24,
               {"backup-and-recovery": 4, "virtualization": 3, "system-administration": 3}),
    assignment("assignment-service-desk", "Assignment: rotate into the service desk for a month",
               40,
               {"customer-and-personal-service": 4, "it-support": 4, "active-listening": 4,
                "servicenow": 3, "microsoft-365": 3}),
    assignment("assignment-db-upgrade", "Assignment: database upgrade and failover test", 60,
               {"database-administration": 4, "backup-and-recovery": 4, "postgresql": 4,
                "mysql": 3},
               prerequisites={"database-administration": 2}),
    assignment("assignment-dw-subject-area",
               "Assignment: design a data warehouse subject area", 80,
               {"data-warehousing": 4, "data-modeling": 4, "etl": 4, "sql": 4,
                "oracle-database": 3},
               prerequisites={"sql": 3}),
    assignment("assignment-leadership-dashboard",
               "Assignment: build a BI dashboard for the leadership team", 40,
               {"data-visualization": 4, "power-bi": 4, "data-analysis": 4, "speaking": 3,
                "tableau": 3}),
    assignment("assignment-ab-test", "Assignment: design and analyse an A/B test", 40,
               {"statistics": 4, "data-analysis": 4, "python": 3, "r": 3}),
    assignment("assignment-ml-model", "Assignment: productionise a machine learning model", 80,
               {"machine-learning": 4, "python": 4, "docker": 3, "scikit-learn": 4,
                "pytorch": 3},
               prerequisites={"machine-learning": 3, "python": 3}),
    assignment("assignment-regression-suite", "Assignment: automate a regression test suite",
               60,
               {"test-automation": 4, "selenium": 4, "api-testing": 4, "ci-cd": 3,
                "software-testing": 4}),
    assignment("assignment-performance-tests",
               "Assignment: run performance tests before a major release", 40,
               {"performance-testing": 4, "observability": 3, "quality-control-analysis": 4}),
    assignment("assignment-accessibility-audit",
               "Assignment: accessibility audit of the customer portal", 30,
               {"web-accessibility": 4, "html": 4, "responsive-design": 4}),
    assignment("assignment-web-platform",
               "Assignment: own the public website's content platform for a quarter", 60,
               {"web-content-management": 4, "wordpress": 4, "drupal": 4, "seo": 4,
                "web-analytics": 4, "css": 4}),
    assignment("assignment-api-design", "Assignment: design and ship a public REST API", 60,
               {"rest-apis": 4, "node-js": 4, "typescript": 3, "microservices": 3,
                "software-architecture": 3}),
    assignment("assignment-code-review-rota", "Assignment: join the code review rota", 30,
               {"code-review": 4, "debugging": 4, "unit-testing": 4,
                "object-oriented-programming": 4, "java": 4}),
    assignment("assignment-cross-team-project",
               "Assignment: deliver a cross-team project as project manager", 120,
               {"project-management": 4, "coordination": 4, "time-management": 4,
                "stakeholder-management": 4, "administration-and-management": 4,
                "project-management-software": 4, "jira": 4},
               prerequisites={"project-management": 2}),
    assignment("assignment-requirements-workshop",
               "Assignment: run requirements workshops for a new system", 40,
               {"requirements-engineering": 4, "business-analysis": 4, "process-modeling": 4,
                "speaking": 4, "system-design": 3}),
    assignment("assignment-architecture-board",
               "Assignment: sit on the architecture review board for a quarter", 40,
               {"software-architecture": 4, "enterprise-architecture": 4, "systems-evaluation": 4,
                "judgment-and-decision-making": 4, "technology-design": 4, "design": 4}),
    assignment("assignment-itsm-process", "Assignment: improve the change management process",
               40, {"itsm": 4, "servicenow": 4, "quality-control-analysis": 3}),
]
# fmt: on


FAMILIES = {
    "security": "Security",
    "platform": "Platform and infrastructure",
    "data": "Data and analytics",
    "qa": "Software engineering and quality",
    "web": "Web and digital",
    "pmo": "Project management and IT leadership",
}


class DemoDataError(RuntimeError):
    """The curated tables disagree with the source data; the message says where."""


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Index records by id."""
    return {record["id"]: record for record in records}


def build_taxonomy(onet, esco) -> tuple[dict[str, dict[str, Any]], dict[str, str], dict[str, str]]:
    """Return the technology skills, and maps from O*NET example / element skill id to demo id."""
    esco_uris = {name_key(skill["name"]): skill["external_ids"]["esco"] for skill in esco.skills}
    onet_tech = {
        skill["external_ids"]["onet"]: skill
        for skill in onet.skills
        if skill["category"] == "technology"
    }
    problems: list[str] = []
    skills: dict[str, dict[str, Any]] = {}
    tech_map: dict[str, str] = {}
    for skill_id, name, category, aliases, description, examples, labels in TECH_SKILLS:
        external_ids: dict[str, str] = {}
        for example in examples:
            if example not in onet_tech:
                problems.append(f"{skill_id}: no hot or in-demand O*NET technology {example!r}")
            elif example in tech_map:
                problems.append(f"{skill_id}: {example!r} already maps to {tech_map[example]}")
            else:
                tech_map[example] = skill_id
                external_ids.setdefault("onet", example)
        for label in labels:
            uri = esco_uris.get(name_key(label))
            if uri is None:
                problems.append(f"{skill_id}: no ESCO skill labelled {label!r}")
            elif not uri.startswith(ESCO_NAMESPACE):
                # The ICT extract holds a few concepts minted outside ESCO; only cite ESCO's.
                problems.append(f"{skill_id}: {label!r} is not an ESCO concept ({uri})")
            else:
                external_ids.setdefault("esco", uri)
        if skill_id in skills:
            problems.append(f"{skill_id}: listed twice")
        skills[skill_id] = {
            "id": skill_id,
            "name": name,
            "aliases": list(aliases),
            "category": category,
            "description": description,
            "external_ids": dict(sorted(external_ids.items())),
        }
    # Skill names must stay unique when O*NET or ESCO is imported next to the demo, so a demo
    # skill may share its name only with the imported skill of the same id. (Aliases may repeat
    # an imported name: they help find the demo skill, and an exact name match ranks first.)
    imported = {name_key(s["name"]): s["id"] for s in onet.skills + esco.skills}
    for skill in skills.values():
        other = imported.get(name_key(skill["name"]), skill["id"])
        if other != skill["id"]:
            problems.append(f"{skill['id']}: name {skill['name']!r} is taken by import {other!r}")
    element_map: dict[str, str] = {}
    for skill in onet.skills:
        if skill["category"] != "technology":
            element = skill["external_ids"]["onet"]
            element_map[skill["id"]] = ELEMENT_SKILL_IDS.get(element, skill["id"])
    if problems:
        raise DemoDataError("\n".join(problems))
    return skills, tech_map, element_map


def add_element_skill(skills, onet_skills, element_skill_id, demo_id, esco_uris) -> None:
    """Add (or annotate) the demo skill an O*NET Skills/Knowledge element maps onto."""
    source = onet_skills[element_skill_id]
    element = source["external_ids"]["onet"]
    if demo_id in skills:
        external_ids = skills[demo_id]["external_ids"]
        external_ids.setdefault("onet", element)
        skills[demo_id]["external_ids"] = dict(sorted(external_ids.items()))
        return
    aliases, labels = ELEMENT_EXTRAS.get(demo_id, ([], []))
    external_ids = {"onet": element}
    for label in labels:
        uri = esco_uris.get(name_key(label))
        if uri is None:
            raise DemoDataError(f"{demo_id}: no ESCO skill labelled {label!r}")
        external_ids.setdefault("esco", uri)
    skills[demo_id] = {
        "id": demo_id,
        "name": source["name"],
        "aliases": list(aliases),
        "category": source["category"],
        "description": source["description"],
        "external_ids": dict(sorted(external_ids.items())),
    }


def build_roles(onet, esco, skills, tech_map, element_map) -> list[dict[str, Any]]:
    """Derive the demo roles from O*NET occupations; add the element skills they use."""
    esco_uris = {name_key(skill["name"]): skill["external_ids"]["esco"] for skill in esco.skills}
    onet_skills = by_id(onet.skills)
    sources = {role["external_ids"]["onet"]: role for role in onet.roles}
    problems: list[str] = []

    # How many O*NET occupations list each demo technology: rarer ones say more about a role.
    spread: Counter[str] = Counter()
    for role in onet.roles:
        mapped = {
            tech_map.get(onet_skills[c["skill"]]["external_ids"]["onet"])
            for c in role["competencies"]
            if onet_skills[c["skill"]]["category"] == "technology"
        }
        spread.update(skill for skill in mapped if skill)

    def mapped_competencies(code):
        elements: dict[str, tuple[int, float, str]] = {}
        technologies: dict[str, float] = {}
        for competency in sources[code]["competencies"]:
            source = onet_skills[competency["skill"]]
            level, weight = competency["level"], competency["weight"]
            if source["category"] == "technology":
                demo = tech_map.get(source["external_ids"]["onet"])
                if demo:
                    technologies[demo] = max(weight, technologies.get(demo, 0.0))
            else:
                demo = element_map[competency["skill"]]
                old = elements.get(demo, (0, 0.0, competency["skill"]))
                elements[demo] = (max(level, old[0]), max(weight, old[1]), old[2])
        return elements, technologies

    mapped = {code: mapped_competencies(code) for code in {spec.soc for spec in ROLES}}
    totals: defaultdict[str, list[float]] = defaultdict(list)
    for elements, _ in mapped.values():
        for demo, (_, weight, _) in elements.items():
            totals[demo].append(weight)
    mean_weight = {demo: sum(values) / len(values) for demo, values in totals.items()}

    # Every element a role may require is in the taxonomy, required or not, so items and
    # profiles can use them too.
    for element_skill in sorted(element_map):
        if element_map[element_skill] in ROLE_ELEMENTS:
            add_element_skill(
                skills, onet_skills, element_skill, element_map[element_skill], esco_uris
            )

    roles = []
    for spec in ROLES:
        role_id, code, focus = spec.id, spec.soc, spec.focus
        if code not in sources:
            problems.append(f"{role_id}: O*NET has no role for {code}")
            continue
        source = sources[code]
        elements, technologies = mapped[code]
        elements = {demo: value for demo, value in elements.items() if demo in ROLE_ELEMENTS}
        ranked = sorted(elements.items(), key=lambda kv: (-kv[1][1], -kv[1][0], kv[0]))
        chosen = [demo for demo, _ in ranked[:TOP_ELEMENTS]]
        distinctive = sorted(
            (demo for demo, _ in ranked[TOP_ELEMENTS:]),
            key=lambda demo: (-(elements[demo][1] - mean_weight[demo]), demo),
        )
        chosen += [
            demo
            for demo in distinctive
            if elements[demo][1] > mean_weight[demo] and elements[demo][1] >= DISTINCTIVE_MIN_WEIGHT
        ][:DISTINCTIVE_ELEMENTS]

        competencies = {}
        for demo in chosen:
            level, weight, element_skill = elements[demo]
            add_element_skill(skills, onet_skills, element_skill, demo, esco_uris)
            competencies[demo] = {"skill": demo, "level": level, "weight": weight}

        missing = [skill for skill in focus if skill not in technologies]
        if missing:
            problems.append(f"{role_id}: O*NET lists no hot technology mapped to {missing}")
        limit = TECH_LIMIT if elements else TECH_LIMIT_UNRATED
        # Besides the focus, only technologies O*NET flags in demand for the occupation.
        rest = sorted(
            (s for s in technologies if s not in focus and technologies[s] >= 0.6),
            key=lambda skill: (spread[skill], skill),
        )
        for skill in ([s for s in focus if s in technologies] + rest)[:limit]:
            level = spec.focus_level if skill in focus else 3
            competencies[skill] = {"skill": skill, "level": level, "weight": technologies[skill]}
        for skill, level, weight in spec.core:
            if skill not in skills:
                problems.append(f"{role_id}: core skill {skill} is not in the taxonomy")
            old = competencies.get(skill, {"level": 0, "weight": 0.0})
            competencies[skill] = {
                "skill": skill,
                "level": max(level, old["level"]),
                "weight": max(weight, old["weight"]),
            }

        unknown = [t for t in spec.alternates if t not in source["alternate_titles"]]
        if unknown:
            problems.append(f"{role_id}: not O*NET alternate titles of {code}: {unknown}")
        titles = [source["title"]] if source["title"] != spec.title else []
        roles.append(
            {
                "id": role_id,
                "title": spec.title,
                "description": source["description"],
                "family": FAMILIES[spec.family],
                "alternate_titles": titles + [t for t in spec.alternates if t != spec.title],
                "external_ids": {"onet": code},
                "competencies": sorted(
                    competencies.values(), key=lambda c: (-c["weight"], -c["level"], c["skill"])
                ),
            }
        )
    if problems:
        raise DemoDataError("\n".join(problems))
    return roles


# --- employees -----------------------------------------------------------------------------------

# fmt: off
TEAMS = {
    "platform": ["systems-administrator", "systems-administrator",
                 "network-support-specialist", "it-support-specialist", "it-support-specialist",
                 "devops-engineer", "devops-engineer", "network-architect",
                 "cloud-architect", "systems-administrator"],
    "security": ["information-security-analyst", "information-security-analyst",
                 "information-security-analyst", "information-security-engineer",
                 "information-security-engineer", "penetration-tester", "penetration-tester",
                 "digital-forensics-analyst", "information-security-analyst",
                 "network-support-specialist"],
    "data": ["database-administrator", "database-administrator", "database-architect",
             "data-warehouse-engineer", "data-warehouse-engineer", "data-scientist",
             "data-scientist", "business-intelligence-analyst", "business-intelligence-analyst",
             "business-intelligence-analyst"],
    "qa": ["software-qa-analyst", "software-qa-analyst", "software-qa-analyst",
           "software-qa-analyst", "software-engineer", "software-engineer",
           "software-engineer", "software-qa-analyst", "software-engineer",
           "software-developer"],
    "web": ["web-developer", "web-developer", "web-developer", "web-designer", "web-designer",
            "web-administrator", "software-developer", "software-developer",
            "software-developer", "web-developer"],
    "pmo": ["it-project-manager", "it-project-manager", "it-project-manager",
            "project-management-specialist", "project-management-specialist",
            "systems-analyst", "systems-analyst", "it-manager",
            "project-management-specialist", "systems-analyst"],
}
# fmt: on
# fmt: off
CAREER_MOVES = {
    "it-support-specialist": ["network-support-specialist", "systems-administrator"],
    "network-support-specialist": ["systems-administrator",
                                   "network-architect",
                                   "information-security-analyst"],
    "systems-administrator": ["devops-engineer", "cloud-architect",
                                      "information-security-engineer"],
    "devops-engineer": ["cloud-architect", "information-security-engineer"],
    "network-architect": ["cloud-architect"],
    "cloud-architect": ["it-manager"],
    "information-security-analyst": ["information-security-engineer", "penetration-tester",
                                     "digital-forensics-analyst"],
    "information-security-engineer": ["cloud-architect"],
    "penetration-tester": ["information-security-engineer"],
    "digital-forensics-analyst": ["information-security-analyst"],
    "database-administrator": ["database-architect", "data-warehouse-engineer"],
    "database-architect": ["cloud-architect"],
    "data-warehouse-engineer": ["database-architect", "data-scientist"],
    "data-scientist": ["database-architect"],
    "business-intelligence-analyst": ["data-scientist", "data-warehouse-engineer"],
    "software-qa-analyst": ["software-engineer", "devops-engineer"],
    "software-engineer": ["software-developer", "devops-engineer"],
    "software-developer": ["cloud-architect", "devops-engineer"],
    "web-developer": ["software-developer", "web-designer"],
    "web-designer": ["web-developer"],
    "web-administrator": ["web-developer"],
    "systems-analyst": ["it-project-manager"],
    "project-management-specialist": ["it-project-manager"],
    "it-project-manager": ["it-manager"],
    "it-manager": ["cloud-architect"],
}
# fmt: on
# fmt: off
FIRST_NAMES = [
    "Aisha", "Bjorn", "Carmen", "Dmitri", "Elif", "Femi", "Greta", "Hiroshi", "Ines", "Jonas",
    "Kalani", "Lucia", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Sanjay", "Tamsin",
    "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zofia", "Amara", "Bruno", "Chidi", "Dalia",
    "Emil", "Farah", "Gustavo", "Hana", "Ivo", "Jana", "Kofi", "Leila", "Marek", "Noor",
]
# fmt: on
# fmt: off
LAST_NAMES = [
    "Abara", "Bergstrand", "Castellanos", "Dimitrov", "Eklund", "Fairweather", "Grabowski",
    "Haddad", "Ilunga", "Jovanovic", "Kowalczyk", "Lindqvist", "Moreau", "Nakamura",
    "Okonkwo", "Petrov", "Quintero", "Rahman", "Sorensen", "Takahashi", "Urquhart", "Varga",
    "Whitfield", "Xu", "Yilmaz", "Zeller", "Achterberg", "Brennan", "Carvalho", "Delacroix",
]
# fmt: on
# How a level is known without a completed item: self, manager or assessment (completed items
# add "certification" and "completion"). Drawn at random, so their order shapes the output.
STATED_SOURCES = SKILL_SOURCES[:3]
# Everyone learns self-paced; each other modality is a coin toss.
ALWAYS_MODALITY = "self_paced"
# Completions fixed on purpose, so the demo shows an expired and a retired certification.
FIXED_COMPLETIONS = {
    "E1011": [("comptia-security-plus", dt.date(2021, 4, 20))],
    "E1024": [("aws-data-analytics-specialty", dt.date(2022, 9, 12))],
    "E1026": [("tensorflow-developer", dt.date(2022, 3, 8))],
    "E1002": [("comptia-network-plus-n10-008", dt.date(2021, 11, 2))],
}


def raise_level(levels: dict[str, tuple[int, str]], skill: str, level: int, source: str) -> None:
    """Record ``skill`` at ``level`` (capped at 5) from ``source`` unless already as high."""
    if level > 0 and level > levels.get(skill, (0, ""))[0]:
        levels[skill] = (min(5, level), source)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    """Return a day between ``start`` and ``end`` inclusive."""
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def build_employees(roles, items) -> list[dict[str, Any]]:
    """Generate fictional employees with profiles shaped by their current and target roles."""
    rng = random.Random(SEED)
    role_index = by_id(roles)
    item_index = by_id(items)
    names = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    profile_start, profile_end = dt.date(2025, 1, 6), dt.date(2026, 2, 27)
    employees = []
    number = 1000
    for team, current_roles in TEAMS.items():
        for current in current_roles:
            number += 1
            employee_id = f"E{number}"
            first, last = names.pop()
            moves = CAREER_MOVES[current]
            targets = rng.sample(moves, k=min(len(moves), rng.choice([1, 1, 2])))
            levels: dict[str, tuple[int, str]] = {}
            have = partial(raise_level, levels)

            for competency in role_index[current]["competencies"]:
                delta = rng.choice([-2, -1, -1, 0, 0, 0, 1])
                have(competency["skill"], competency["level"] + delta, rng.choice(STATED_SOURCES))
            for target in targets:
                for competency in role_index[target]["competencies"]:
                    if competency["skill"] not in levels:
                        have(competency["skill"], rng.choice([0, 1, 1, 2, 2, 3]), "self")

            completed = []
            fixed = FIXED_COMPLETIONS.get(employee_id, [])
            # Past completions: active certifications and courses related to the profile whose
            # prerequisites the person meets.
            candidates = [
                item
                for item in items
                if item["active"]
                and not item["requires_items"]
                and item["kind"] in ("certification", "course")
                and any(s["skill"] in levels for s in item["skills"])
                and all(
                    levels.get(p["skill"], (0, ""))[0] >= p["level"] for p in item["prerequisites"]
                )
            ]
            picks = [(item_id, day) for item_id, day in fixed]
            for item in rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 1, 2, 3]))):
                if item["id"] not in {item_id for item_id, _ in picks}:
                    day = random_date(rng, dt.date(2021, 1, 1), dt.date(2025, 12, 15))
                    picks.append((item["id"], day))
            for item_id, day in sorted(picks, key=lambda pick: (pick[1], pick[0])):
                item = item_index[item_id]
                valid = item["valid_months"]
                completed.append(
                    {
                        "item": item_id,
                        "completed_at": day.isoformat(),
                        "expires_at": add_months(day, valid).isoformat() if valid else None,
                    }
                )
                source = "certification" if item["kind"] == "certification" else "completion"
                for taught in item["skills"]:
                    have(taught["skill"], taught["level"], source)

            modalities = [ALWAYS_MODALITY] + [
                m for m in MODALITIES if m != ALWAYS_MODALITY and rng.random() < 0.5
            ]
            employees.append(
                {
                    "id": employee_id,
                    "display_name": f"{first} {last}",
                    "team": team,
                    "current_role": current,
                    "target_roles": targets,
                    "skills": [
                        {
                            "skill": skill,
                            "level": level,
                            "source": source,
                            "assessed_at": random_date(rng, profile_start, profile_end).isoformat(),
                        }
                        for skill, (level, source) in sorted(levels.items())
                    ],
                    "completed": completed,
                    "preferences": {
                        "hours_per_week": rng.choice([2, 3, 4, 4, 5, 6, 8, 10]),
                        "budget": rng.choice([0, 500, 1000, 1500, 2000, 2000, 3000, 5000]),
                        "modalities": modalities,
                        "languages": ["en", "de"] if rng.random() < 0.15 else ["en"],
                    },
                }
            )
    return employees


# --- checks and output ---------------------------------------------------------------------------


def describe_items(items, skills) -> None:
    """Write a description for every item that has none, from what it teaches."""
    for item in items:
        if item["description"]:
            continue
        names = [skills[s["skill"]]["name"] for s in item["skills"]]
        listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else names[0]
        item["description"] = {
            "certification": f"Certification exam by {item['provider']}; validates {listed}.",
            "course": f"Course by {item['provider']} covering {listed}.",
            "content": f"Self-study reading on {listed}.",
            "mentoring": f"Regular one-to-one sessions with an experienced colleague on {listed}.",
            "assignment": f"Stretch assignment on the job that builds {listed}.",
            "program": f"Internal learning program covering {listed}.",
        }[item["kind"]]


def unteachable(roles, items) -> set[tuple[str, str]]:
    """Return the (role, skill) competencies no active item teaches up to the required level."""
    best: dict[str, int] = defaultdict(int)
    for item in items:
        if item["active"]:
            for taught in item["skills"]:
                best[taught["skill"]] = max(best[taught["skill"]], taught["level"])
    return {
        (role["id"], c["skill"])
        for role in roles
        for c in role["competencies"]
        if best[c["skill"]] < c["level"]
    }


def check(skills, roles, items, employees) -> None:
    """Fail on a dangling reference, a requires_items cycle or an unplanned unmet competency."""
    problems = []
    item_ids = {item["id"] for item in items}
    role_ids = {role["id"] for role in roles}
    if len(item_ids) != len(items):
        problems.append("duplicate item ids")
    for item in items:
        for entry in item["skills"] + item["prerequisites"]:
            if entry["skill"] not in skills:
                problems.append(f"item {item['id']}: unknown skill {entry['skill']}")
        for required in item["requires_items"]:
            if required not in item_ids:
                problems.append(f"item {item['id']}: unknown required item {required}")
        taught = {entry["skill"]: entry["level"] for entry in item["skills"]}
        for entry in item["prerequisites"]:
            if entry["level"] >= taught.get(entry["skill"], 6):
                problems.append(f"item {item['id']}: requires {entry['skill']} at the level taught")
    for role in roles:
        for competency in role["competencies"]:
            if competency["skill"] not in skills:
                problems.append(f"role {role['id']}: unknown skill {competency['skill']}")
    for employee in employees:
        for role in [employee["current_role"], *employee["target_roles"]]:
            if role not in role_ids:
                problems.append(f"employee {employee['id']}: unknown role {role}")
    names: Counter[str] = Counter()
    for skill in skills.values():
        names.update({name_key(skill["name"]), *(name_key(a) for a in skill["aliases"])})
    problems += [f"skill name or alias used twice: {key!r}" for key, n in names.items() if n > 1]
    gaps = unteachable(roles, items)
    if gaps != DELIBERATELY_UNTEACHABLE:
        problems.append(f"unplanned unmet competencies: {sorted(gaps - DELIBERATELY_UNTEACHABLE)}")
        problems.append(f"planned but taught: {sorted(DELIBERATELY_UNTEACHABLE - gaps)}")
    if problems:
        raise DemoDataError("\n".join(problems))


def build(data: Path) -> dict[str, list[dict[str, Any]]]:
    """Build the four demo data sets from the O*NET and ESCO directories under ``data``."""
    onet = read_onet(data / "onet")
    esco = read_esco(data / "esco")
    skills, tech_map, element_map = build_taxonomy(onet, esco)
    roles = build_roles(onet, esco, skills, tech_map, element_map)
    items = [dict(item) for item in ITEMS]
    check_skills = [s for item in items for s in item["skills"] if s["skill"] not in skills]
    if check_skills:
        raise DemoDataError(f"items teach unknown skills: {check_skills}")
    describe_items(items, skills)
    employees = build_employees(roles, items)
    check(skills, roles, items, employees)
    return {
        "skills": sorted(skills.values(), key=lambda skill: skill["id"]),
        "roles": roles,
        "items": items,
        "employees": employees,
    }


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the demo data and write the JSON files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=Path("../shared/data"),
        help="directory holding onet/ and esco/ (default: ../shared/data)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "catalog" / "demo",
        help="where to write the JSON files (default: catalog/demo)",
    )
    args = parser.parse_args(argv)
    try:
        data = build(args.data)
    except DemoDataError as error:
        print(f"demo data does not add up:\n{error}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for name, records in data.items():
        path = args.out / f"{name}.json"
        path.write_text(json.dumps(records, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        shown = path.resolve().relative_to(ROOT) if path.resolve().is_relative_to(ROOT) else path
        print(f"{shown}: {len(records)} records")
    return 0


if __name__ == "__main__":
    sys.exit(main())
